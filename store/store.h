// The verdict store: flagged verdicts with the record bytes exactly as received, reviewer
// decisions, an audit log and the pack sources the verdicts came from, behind one interface
// with two backends — SQLite (one file, WAL; the embedded default) and PostgreSQL. Verdict rows
// and decision rows each form a hash chain: every row carries the SHA-256 of the previous row's
// canonical bytes, and verify_chain() finds a row that was deleted or edited (docs/review.md).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tusk/verdict.h"

namespace tusk::store {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace internal {
class Db;
}

// The current time in UTC as the store writes it: "2024-05-01T12:03:04.250Z" (fixed width, so
// text order is time order).
std::string utc_now();
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) and returns
// it in the store's form; nullopt when it is none of these.
std::optional<std::string> parse_utc(std::string_view text);

// A verdict to keep, as the scanner produced it.
struct NewVerdict {
  std::string record;        // the listing's bytes exactly as received
  std::string verdict_json;  // tusk::to_json of the verdict
  std::string listing_id;
  std::string action;  // "review" or "block" (or "allow" when the store keeps those)
  double score = 0;
  std::vector<std::string> tags;
  PackInfo pack;
  std::string received_at;  // empty: now

  // `verdict_json`: the verdict as already rendered (what was answered), else it is rendered here.
  static NewVerdict from(std::string_view record, const Verdict& verdict, std::string_view verdict_json = {});
};

struct StoredVerdict {
  std::int64_t id = 0;
  std::string listing_id, seller_id, lang, family;
  std::vector<std::string> tags;
  std::string action;
  double score = 0;
  std::string received_at;
  std::string record, record_sha256;
  std::string pack_name, pack_version, pack_digest;
  std::string verdict_json;
  std::string status;  // open, confirmed, dismissed, escalated (the latest decision)
  std::string prev_hash, row_hash;
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t verdict_id = 0;
  std::string decision;  // confirm, dismiss, escalate
  std::string reviewer, decided_at, note, case_id;
  std::string prev_hash, row_hash;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at, who, what, before, after;
};

// The hashes a row must carry: SHA-256 (hex) of its canonical bytes, which include prev_hash.
std::string verdict_row_hash(const StoredVerdict& v);
std::string decision_row_hash(const Decision& d);
inline const std::string kGenesisHash(64, '0');

struct QueueFilter {
  std::string family, tag, lang, seller;
  std::string action = "review";  // "review", "block" or "" for both
  std::size_t limit = 0;          // 0: all
  std::string rule;               // a rule that fired (any score)
  // Keyset paging: only the items after verdict `after` in the queue's order (0: from the
  // start). The cursor is a verdict id, so a page stays right when items before it were
  // decided meanwhile (an offset would skip items then).
  std::int64_t after = 0;
};

// A seller's stored verdicts, newest first (at most `limit`), and how many there are in all.
struct SellerHistory {
  std::vector<StoredVerdict> items;
  std::uint64_t total = 0;
};

struct ChainReport {
  bool ok = true;
  std::uint64_t verdicts = 0, decisions = 0;
  std::vector<std::string> problems;  // one line each, naming the row
};

// Which verdicts an evidence bundle or a query covers.
struct Selection {
  std::string listing, seller, case_id;  // exactly one is set
};

class Store {
 public:
  // "sqlite:PATH", "postgresql://..." / "postgres://..." (a libpq URI), or a plain path (SQLite).
  // Creates the schema or migrates it to the current version. Throws StoreError.
  static std::unique_ptr<Store> open(const std::string& url);
  ~Store();

  std::string backend() const;
  int schema_version();
  static int latest_schema_version();

  // Appends verdicts to the chain in one transaction; returns their ids, in order.
  std::vector<std::int64_t> add_verdicts(const std::vector<NewVerdict>& verdicts);
  std::int64_t add_verdict(const NewVerdict& v) { return add_verdicts({v}).front(); }

  std::optional<StoredVerdict> verdict(std::int64_t id);
  // Open items (no decision yet), highest score first, then oldest first, then by id; filtered,
  // limited and paged by the query itself.
  std::vector<StoredVerdict> queue(const QueueFilter& filter);
  // How many open items the filter matches (its limit and cursor aside).
  std::uint64_t queue_count(const QueueFilter& filter);
  // Verdicts of `seller` other than verdict `except`, newest (received) first.
  SellerHistory seller_history(const std::string& seller, std::int64_t except, std::size_t limit);
  std::vector<StoredVerdict> select(const Selection& selection);
  std::vector<StoredVerdict> all_verdicts();

  // Records a decision (confirm, dismiss, escalate) on verdict `id`, chained, with an audit
  // entry (before/after status). Throws StoreError for an unknown id or decision.
  Decision decide(std::int64_t id, const std::string& decision, const std::string& reviewer,
                  const std::string& note, const std::string& case_id = "");
  std::vector<Decision> decisions(std::int64_t verdict_id);
  std::vector<Decision> all_decisions();
  // Verdicts whose latest decision (at or after `since`) is confirm or dismiss, with it.
  std::vector<std::pair<StoredVerdict, Decision>> reviewed_since(const std::string& since);
  std::vector<AuditEntry> audit();
  // Appends an audit entry that is not a decision (a sign-in, an evidence export): who, what,
  // and optional before/after states (JSON text or empty); `at` is now. Returns the entry.
  AuditEntry add_audit(const std::string& who, const std::string& what, const std::string& before = "",
                       const std::string& after = "");

  // The pack sources (pack/... and std/... paths) a digest was built from, kept once per digest.
  bool has_pack(const std::string& digest);
  void put_pack(const std::string& digest, const std::map<std::string, std::string>& files);
  std::map<std::string, std::string> pack_files(const std::string& digest);

  ChainReport verify_chain();

  // Runs SQL as is. For repairs and for the tests that tamper with rows; never used by Tusk.
  void exec_unchecked(const std::string& sql);

 private:
  explicit Store(std::unique_ptr<internal::Db> db);
  void migrate();
  std::vector<StoredVerdict> verdicts_where(const std::string& where, const std::vector<std::string>& params,
                                            const std::string& order = "v.id");
  std::unique_ptr<internal::Db> db_;
};

}  // namespace tusk::store
