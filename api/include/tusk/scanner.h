// Evaluates listings against a pack. A Scanner holds per-thread state (decoder, normalizer and
// pattern scratch, buffers): create one per thread; it is not thread-safe. Many scanners may
// share one Pack.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tusk/pack.h"
#include "tusk/state.h"
#include "tusk/verdict.h"

namespace tusk {

namespace internal {
struct ScannerImpl;
struct Inspect;
}  // namespace internal

// How a JSON line's keys are read (docs/records.md, "Posts"): a marketplace listing as written,
// or a social-media post, whose `text`, `author` and `created_at` are read as `title`, `seller`
// and `posted_at`. The shape is the feed's, not the pack's: one pack screens both.
enum class RecordShape { kListing, kPost };

class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const Pack> pack);
  ~Scanner();
  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;

  // Evaluates one listing given as a JSON object. Never throws for bad input: a listing that
  // cannot be read yields a verdict with ok == false and the reason in `error`.
  Verdict scan(std::string_view json);
  // The same into `out`, whose strings and vectors keep their capacity from one listing to the
  // next: the allocation-free form for batch scanning. Every field of `out` is overwritten.
  void scan(std::string_view json, Verdict& out);

  // A batch: one verdict per listing, in order; verdict i has line == i + 1. `out` is resized
  // and its elements reused.
  void scan_batch(const std::vector<std::string_view>& listings, std::vector<Verdict>& out);
  std::vector<Verdict> scan_batch(const std::vector<std::string_view>& listings);

  // A listing filled field by field, without JSON: begin(), set the fields, then scan_listing().
  // Field names are the pack's paths ("title", "price", "seller.country", declared fields).
  // A setter returns false, and changes nothing, for a field the pack's schema does not have
  // or a value of the wrong kind (text for a number field, ...).
  void begin(std::string_view id = {});
  bool set_text(std::string_view field, std::string_view text);
  bool set_number(std::string_view field, double value);  // number or bool (0 / 1) fields
  bool set_money(std::string_view field, double amount, std::string_view currency);
  bool add_element(std::string_view field, std::string_view element);  // text lists (tags)
  Verdict scan_listing();
  void scan_listing(Verdict& out);

  // The shape of the JSON lines given to scan() and scan_batch(); a listing until set. The
  // record's `shape` field ("listing" or "post") says which, also for listings filled field by
  // field.
  void set_record_shape(RecordShape shape);
  RecordShape record_shape() const;

  // Account state (docs/accounts.md), for a pack with entities, counters, labels or
  // `decide account`; a stateless pack ignores both. The store this scanner reads and
  // updates: scanners given none share one in-memory store per Pack.
  void set_state(std::shared_ptr<StateStore> store);
  // The clock that dates a listing without `posted_at` (Unix seconds; the system clock by
  // default), read once per such listing. Tests fix it.
  void set_clock(std::function<std::int64_t()> unix_seconds);

  const Pack& pack() const;
  std::shared_ptr<const Pack> shared_pack() const;

 private:
  friend struct internal::Inspect;
  std::unique_ptr<internal::ScannerImpl> impl_;
};

}  // namespace tusk
