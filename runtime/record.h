// Listing records: one JSON object per line, decoded with simdjson's on-demand API against the
// fields a pack reads (stdlib::Field). Only those fields are materialized; everything else in
// the line is skipped. The rules (types, coercions, errors) are in docs/records.md.
//
// RecordSchema is immutable and may be shared across threads. RecordDecoder holds the simdjson
// parser and a padded copy buffer: one per thread. Record is reused across lines (clear() keeps
// its capacity), so decoding a stream allocates nothing once buffers have grown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stdlib/fields.h"

namespace tusk::runtime {

using stdlib::Field;
using stdlib::FieldId;
using stdlib::FieldType;

// How a line's keys map to the fields (docs/records.md, "Posts"). A listing is read as written.
// A post is a social-media post: `text` is read as `title`, `author` as `seller` (so
// `author.description` is `seller.description`, `author.id` is `seller.id`) and `created_at`
// as `posted_at`; a post that gives both keys of one of these pairs is an error.
enum class RecordShape { kListing, kPost };
const char* to_string(RecordShape shape);

class RecordSchema {
 public:
  // Paths are dotted ("seller.country"). FieldIds are the indexes into `fields`. A money field
  // "a.price" takes its currency from the sibling key "a.currency" (declared or not). When a key
  // is both a field and a parent ("seller" and "seller.id"), an object value is descended into
  // and any other value is decoded as the field.
  // Only the fields in `read` (bit f for FieldId f; fields past 64 are always read) are decoded:
  // the keys of the others are skipped like unknown keys, whatever their values, so a feed
  // whose unread `category` is a number loses nothing. Their values stay absent.
  explicit RecordSchema(std::vector<stdlib::Field> fields, std::uint64_t read = ~std::uint64_t{0});
  ~RecordSchema();
  RecordSchema(RecordSchema&&) noexcept;
  RecordSchema& operator=(RecordSchema&&) noexcept;

  const std::vector<stdlib::Field>& fields() const { return fields_; }
  std::optional<stdlib::FieldId> find(std::string_view path) const;

  // The decoder walks this tree: one node per JSON object level that holds a wanted key. The
  // post tree holds both the listing keys and the post keys they stand for.
  struct Node;
  const Node& root(RecordShape shape = RecordShape::kListing) const {
    return shape == RecordShape::kPost ? *post_root_ : *root_;
  }
  // The `shape` field when the pack reads it: set by the decoder, never read from the line.
  std::optional<stdlib::FieldId> shape_field() const { return shape_field_; }

 private:
  std::vector<stdlib::Field> fields_;
  std::unique_ptr<Node> root_;
  std::unique_ptr<Node> post_root_;
  std::optional<stdlib::FieldId> shape_field_;
};

// The decoded value of one field. Offsets index Record::arena so that values stay valid while
// the arena grows; use the Record accessors, which return views.
struct FieldValue {
  bool present = false;
  double number = 0;           // kNumber; kMoney amount; kBool as 1 or 0
  std::size_t text_begin = 0;  // kText value; kTextList elements joined with '\n'
  std::size_t text_size = 0;
  std::size_t elements_begin = 0;  // kTextList: index into Record::elements
  std::size_t element_count = 0;
  std::size_t currency_begin = 0;  // kMoney: ISO 4217 code, upper case; may be empty
  std::size_t currency_size = 0;
};

// A byte range of one text-list element inside the field's joined text.
struct ElementSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Record {
  std::string id;  // "id" as text (a number id as written), "" when absent
  bool has_id = false;
  std::vector<FieldValue> values;     // indexed by stdlib::FieldId
  std::string arena;                  // backing bytes for every text value of this record
  std::vector<ElementSpan> elements;  // backing store for text-list element spans

  void clear(std::size_t field_count);  // keeps capacity

  bool present(stdlib::FieldId f) const { return f < values.size() && values[f].present; }
  // Bit f set when field f (f < 64) is present: compiler::EvalRecord::present.
  std::uint64_t present_mask() const;
  // kText value; kTextList elements joined with '\n'; "" when absent.
  std::string_view text(stdlib::FieldId f) const;
  // kNumber value, kMoney amount, kBool 1/0; NaN when absent, so that comparisons are false.
  double number(stdlib::FieldId f) const;
  bool boolean(stdlib::FieldId f) const { return present(f) && values[f].number != 0; }
  // kMoney: the currency code, "" when neither the record nor the price string named one.
  std::string_view currency(stdlib::FieldId f) const;
  // kTextList: element spans relative to text(f).
  std::size_t element_count(stdlib::FieldId f) const { return present(f) ? values[f].element_count : 0; }
  ElementSpan element_span(stdlib::FieldId f, std::size_t i) const;
  std::string_view element(stdlib::FieldId f, std::size_t i) const;

  // Builders, used by the decoder and by embedders that construct records without JSON.
  void set_text(stdlib::FieldId f, std::string_view text);
  void set_number(stdlib::FieldId f, double value);
  void set_money(stdlib::FieldId f, double amount, std::string_view currency);
  void set_currency(stdlib::FieldId f, std::string_view currency);
  void set_text_list(stdlib::FieldId f, const std::vector<std::string_view>& elements);
  void begin_text_list(stdlib::FieldId f);
  void append_list_element(stdlib::FieldId f, std::string_view element);
  void set_absent(stdlib::FieldId f);
};

struct DecodeError {
  bool ok = true;
  std::string message;                            // "" when ok
  explicit operator bool() const { return !ok; }  // true when there is an error
};

// Per-thread decoder. Not thread-safe; cheap to keep one per worker.
class RecordDecoder {
 public:
  explicit RecordDecoder(const RecordSchema& schema);
  ~RecordDecoder();
  RecordDecoder(RecordDecoder&&) noexcept;
  RecordDecoder& operator=(RecordDecoder&&) noexcept;

  // Decodes one line (without its newline) into `out`, which is cleared first. On error `out`
  // holds whatever was decoded before the error and must not be evaluated.
  DecodeError decode(std::string_view line, Record& out);

  // The shape lines are read with; a listing until set. Cheap: set it once per stream.
  void set_shape(RecordShape shape) { shape_ = shape; }
  RecordShape shape() const { return shape_; }
  // Sets the `shape` field of a record filled without JSON (after Record::clear).
  void stamp_shape(Record& out) const;

  const RecordSchema& schema() const { return *schema_; }

 private:
  struct Impl;
  const RecordSchema* schema_;
  RecordShape shape_ = RecordShape::kListing;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tusk::runtime
