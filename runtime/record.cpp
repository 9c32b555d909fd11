#include "runtime/record.h"

#include <simdjson.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "runtime/money.h"

namespace tusk::runtime {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

// ------------------------------------------------------------------ schema

struct RecordSchema::Node {
  struct Entry {
    std::string key;
    std::string path;                           // dotted path up to and including key, for messages
    std::optional<stdlib::FieldId> field;       // a declared field at this key
    std::vector<stdlib::FieldId> currency_for;  // money fields whose currency is written at this key
    bool is_id = false;                         // the record id ("id" at the top level)
    std::unique_ptr<Node> child;                // the object at this key holds wanted keys
  };
  std::vector<Entry> entries;

  Entry& entry(std::string_view key, std::string_view path) {
    for (auto& e : entries) {
      if (e.key == key) return e;
    }
    entries.push_back(Entry{std::string(key), std::string(path), std::nullopt, {}, false, nullptr});
    return entries.back();
  }
  const Entry* find(std::string_view key) const {
    // A dozen keys per level: a linear scan that rejects on length and first byte is cheaper
    // than hashing every key of every record.
    for (const auto& e : entries) {
      if (e.key.size() == key.size() && (key.empty() || (e.key[0] == key[0] && e.key == key))) return &e;
    }
    return nullptr;
  }
};

namespace {

// The node holding the last segment of `path`, creating parents; returns the last segment.
RecordSchema::Node& parent_of(RecordSchema::Node& root, std::string_view path, std::string_view& last) {
  RecordSchema::Node* node = &root;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) {
      last = path.substr(start);
      return *node;
    }
    auto& e = node->entry(path.substr(start, dot - start), path.substr(0, dot));
    if (!e.child) e.child = std::make_unique<RecordSchema::Node>();
    node = e.child.get();
    start = dot + 1;
  }
}

}  // namespace

namespace {

// Where a post writes a listing path: `title` is `text`, `seller.*` is `author.*`, `posted_at`
// is `created_at`; every other path is the same in both shapes.
std::string post_path(std::string_view path) {
  if (path == "title") return "text";
  if (path == "posted_at") return "created_at";
  if (path.substr(0, 7) == "seller.") return "author." + std::string(path.substr(7));
  return std::string(path);
}

void add_field(RecordSchema::Node& root, const std::vector<stdlib::Field>& fields, stdlib::FieldId f,
               std::string_view path) {
  std::string_view last;
  RecordSchema::Node& parent = parent_of(root, path, last);
  auto& e = parent.entry(last, path);
  if (!e.field) e.field = f;  // a path declared twice reads into its first stdlib::FieldId
  if (fields[f].type == stdlib::FieldType::kMoney) {
    std::string currency_path = std::string(path.substr(0, path.size() - last.size())) + "currency";
    parent.entry("currency", currency_path).currency_for.push_back(f);
  }
}

}  // namespace

const char* to_string(RecordShape shape) { return shape == RecordShape::kPost ? "post" : "listing"; }

RecordSchema::RecordSchema(std::vector<stdlib::Field> fields, std::uint64_t read)
    : fields_(std::move(fields)), root_(std::make_unique<Node>()), post_root_(std::make_unique<Node>()) {
  root_->entry("id", "id").is_id = true;
  post_root_->entry("id", "id").is_id = true;
  for (stdlib::FieldId f = 0; f < fields_.size(); ++f) {
    if (f < 64 && (read & (std::uint64_t{1} << f)) == 0) continue;
    const std::string& path = fields_[f].path;
    if (path == stdlib::kShapeField) {
      if (!shape_field_) shape_field_ = f;
      continue;
    }
    add_field(*root_, fields_, f, path);
    add_field(*post_root_, fields_, f, path);
    if (const std::string alias = post_path(path); alias != path) add_field(*post_root_, fields_, f, alias);
  }
}

RecordSchema::~RecordSchema() = default;
RecordSchema::RecordSchema(RecordSchema&&) noexcept = default;
RecordSchema& RecordSchema::operator=(RecordSchema&&) noexcept = default;

std::optional<stdlib::FieldId> RecordSchema::find(std::string_view path) const {
  for (stdlib::FieldId f = 0; f < fields_.size(); ++f) {
    if (fields_[f].path == path) return f;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------ record

void Record::clear(std::size_t field_count) {
  id.clear();
  has_id = false;
  values.assign(field_count, FieldValue{});
  arena.clear();
  elements.clear();
}

std::string_view Record::text(stdlib::FieldId f) const {
  if (!present(f)) return {};
  return std::string_view(arena).substr(values[f].text_begin, values[f].text_size);
}

double Record::number(stdlib::FieldId f) const {
  return present(f) ? values[f].number : std::numeric_limits<double>::quiet_NaN();
}

std::uint64_t Record::present_mask() const {
  std::uint64_t mask = 0;
  for (std::size_t f = 0; f < values.size() && f < 64; ++f) {
    if (values[f].present) mask |= std::uint64_t{1} << f;
  }
  return mask;
}

std::string_view Record::currency(stdlib::FieldId f) const {
  if (f >= values.size()) return {};
  return std::string_view(arena).substr(values[f].currency_begin, values[f].currency_size);
}

ElementSpan Record::element_span(stdlib::FieldId f, std::size_t i) const {
  if (i >= element_count(f)) return {};
  return elements[values[f].elements_begin + i];
}

std::string_view Record::element(stdlib::FieldId f, std::size_t i) const {
  ElementSpan span = element_span(f, i);
  return text(f).substr(span.begin, span.end - span.begin);
}

void Record::set_text(stdlib::FieldId f, std::string_view value) {
  FieldValue& v = values[f];
  v.present = true;
  v.text_begin = arena.size();
  v.text_size = value.size();
  v.element_count = 0;
  arena.append(value);
}

void Record::set_number(stdlib::FieldId f, double value) {
  values[f].present = true;
  values[f].number = value;
}

void Record::set_money(stdlib::FieldId f, double amount, std::string_view currency_code) {
  set_number(f, amount);
  set_currency(f, currency_code);
}

void Record::set_currency(stdlib::FieldId f, std::string_view currency_code) {
  values[f].currency_begin = arena.size();
  values[f].currency_size = currency_code.size();
  arena.append(currency_code);
}

void Record::begin_text_list(stdlib::FieldId f) {
  FieldValue& v = values[f];
  v.present = true;
  v.text_begin = arena.size();
  v.text_size = 0;
  v.elements_begin = elements.size();
  v.element_count = 0;
}

void Record::append_list_element(stdlib::FieldId f, std::string_view element_text) {
  FieldValue& v = values[f];
  // Elements are appended right after the list's text, which must be the arena's tail.
  if (v.element_count > 0) {
    arena += '\n';
    ++v.text_size;
  }
  ElementSpan span{v.text_size, v.text_size + element_text.size()};
  arena.append(element_text);
  v.text_size += element_text.size();
  elements.push_back(span);
  ++v.element_count;
}

void Record::set_text_list(stdlib::FieldId f, const std::vector<std::string_view>& list) {
  begin_text_list(f);
  for (auto e : list) append_list_element(f, e);
}

void Record::set_absent(stdlib::FieldId f) { values[f] = FieldValue{}; }

// ------------------------------------------------------------------ decoder

namespace {

const char* json_type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "array";
    case od::json_type::object:
      return "object";
    case od::json_type::number:
      return "number";
    case od::json_type::string:
      return "string";
    case od::json_type::boolean:
      return "boolean";
    case od::json_type::null:
      return "null";
  }
  return "value";
}

const char* expected_for(stdlib::FieldType t) {
  switch (t) {
    case stdlib::FieldType::kText:
      return "a string";
    case stdlib::FieldType::kTextList:
      return "an array of strings";
    case stdlib::FieldType::kNumber:
      return "a number";
    case stdlib::FieldType::kMoney:
      return "a number or a price string";
    case stdlib::FieldType::kBool:
      return "a boolean";
  }
  return "a value";
}

std::string json_error(sj::error_code e) {
  if (e == sj::UTF8_ERROR) return "invalid UTF-8";
  if (e == sj::DEPTH_ERROR) return "invalid JSON: nesting too deep";
  return fmt::format("invalid JSON: {}", sj::error_message(e));
}

// simdjson reports both "1e400" and a malformed number as NUMBER_ERROR; strtod tells them apart
// so that the user sees which it was.
bool out_of_range(std::string_view token) {
  std::string text(token);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && (std::isinf(v) || errno == ERANGE);
}

}  // namespace

struct RecordDecoder::Impl {
  od::parser parser;
  std::string buffer;  // the line plus SIMDJSON_PADDING bytes
  // Per money field, where its currency was last given (last key wins for each): by its
  // `currency` key, and by a symbol in its price string. The key wins; decode() settles it.
  struct ArenaRange {
    std::size_t begin = 0;
    std::size_t size = 0;
  };
  std::vector<std::optional<ArenaRange>> explicit_currency, symbol_currency;
  std::string message;
  const std::vector<stdlib::Field>* schema_fields = nullptr;

  bool fail(std::string text) {
    message = std::move(text);
    return false;
  }
  bool fail(sj::error_code e) { return fail(json_error(e)); }
  bool wrong_type(std::string_view path, const char* expected, od::json_type got) {
    return fail(fmt::format("field \"{}\": expected {}, got {}", path, expected, json_type_name(got)));
  }

  // A JSON number into a number or money field; 1e400 is an error that names the field.
  bool read_number(stdlib::FieldId f, std::string_view path, od::value& value, Record& out) {
    double v;
    if (auto err = value.get_double().get(v)) {
      if (err == sj::NUMBER_ERROR && out_of_range(value.raw_json_token())) {
        return fail(fmt::format("field \"{}\": number out of range", path));
      }
      return fail(err);
    }
    out.set_number(f, v);
    return true;
  }

  RecordShape shape = RecordShape::kListing;
  bool read_object(const RecordSchema::Node& node, od::object object, Record& out, bool top = false);
  bool read_entry(const RecordSchema::Node::Entry& e, od::value value, Record& out);
  bool read_field(const stdlib::Field& field, stdlib::FieldId f, std::string_view path, od::value& value,
                  od::json_type type, Record& out);
};

// The top-level keys whose pairing decides how a line is read (docs/records.md, "Posts"): bit i
// is set when kShapeKeys[i] is given with a value other than null.
static constexpr std::string_view kShapeKeys[] = {"title",  "text",      "seller",
                                                  "author", "posted_at", "created_at"};

static unsigned shape_key_bit(std::string_view key) {
  if (key.size() < 4 || key.size() > 10) return 0;
  for (unsigned i = 0; i < std::size(kShapeKeys); ++i) {
    if (key == kShapeKeys[i]) return 1u << i;
  }
  return 0;
}

bool RecordDecoder::Impl::read_object(const RecordSchema::Node& node, od::object object, Record& out,
                                      bool top) {
  unsigned given = 0;
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return fail(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return fail(e);
    od::value value = field.value();
    if (top) {
      if (const unsigned bit = shape_key_bit(key)) {
        // A null (checked in full) unsays the key, as it does for a field; last key wins.
        bool is_null = false;
        od::json_type type;
        if (!value.type().get(type) && type == od::json_type::null && !value.is_null().get(is_null) &&
            is_null) {
          given &= ~bit;
        } else {
          given |= bit;
        }
      }
    }
    const RecordSchema::Node::Entry* entry = node.find(key);
    if (entry == nullptr) continue;  // unknown keys are skipped by the iterator
    if (!read_entry(*entry, value, out)) return false;
  }
  if (!top) return true;
  if (shape == RecordShape::kPost) {
    // A post's key and the listing key it stands for, both given: neither is dropped silently.
    for (unsigned i = 0; i < std::size(kShapeKeys); i += 2) {
      if ((given >> i & 3u) == 3u) {
        return fail(fmt::format("a post has both \"{}\" and \"{}\": give one of them", kShapeKeys[i + 1],
                                kShapeKeys[i]));
      }
    }
  } else if ((given & 3u) == 2u) {
    // `text` and no `title` is a post read as a listing: it would be screened without its words.
    return fail(
        "\"text\" and no \"title\": a post, to be read with the post record shape (--record-shape post)");
  }
  return true;
}

// simdjson's type() looks only at a value's first byte, so `n`, `nul` and `nulx` claim to be
// null and `tru` a boolean. A read null or boolean is checked in full before it is believed.
static bool valid_literal(od::value& value, od::json_type type) {
  if (type == od::json_type::null) {
    bool is_null = false;
    return !value.is_null().get(is_null) && is_null;
  }
  if (type == od::json_type::boolean) {
    bool b = false;
    return !value.get_bool().get(b);
  }
  return true;
}

static constexpr const char* kBadLiteral = "invalid JSON: a bare word that is not true, false or null";

bool RecordDecoder::Impl::read_entry(const RecordSchema::Node::Entry& e, od::value value, Record& out) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail(err);
  if (!valid_literal(value, type)) return fail(kBadLiteral);
  if (type == od::json_type::null) {
    // null means absent; a later duplicate key may still set the field (last key wins).
    if (e.field) {
      out.set_absent(*e.field);
      symbol_currency[*e.field].reset();
    }
    if (e.is_id) {
      out.id.clear();
      out.has_id = false;
    }
    for (FieldId m : e.currency_for) explicit_currency[m].reset();
    return true;
  }
  if (type == od::json_type::object && e.child) {
    od::object object;
    if (auto err = value.get_object().get(object)) return fail(err);
    return read_object(*e.child, object, out);
  }
  if (e.is_id) {
    // The record id: a string, or a number kept exactly as written (ids exceed 2^53).
    std::string_view text;
    if (type == od::json_type::string) {
      if (auto err = value.get_string().get(text)) return fail(err);
    } else if (type == od::json_type::number) {
      text = value.raw_json_token();
      while (!text.empty() &&
             (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
      }
    } else {
      return wrong_type(e.path, "a string or a number", type);
    }
    out.id.assign(text);
    out.has_id = true;
    if (!e.field) return true;
    if ((*schema_fields)[*e.field].type == stdlib::FieldType::kText) {
      out.set_text(*e.field, text);
      return true;
    }
  }
  if (!e.currency_for.empty()) {
    if (type != od::json_type::string) return wrong_type(e.path, "a string", type);
    std::string_view text;
    if (auto err = value.get_string().get(text)) return fail(err);
    const std::string code = normalize_currency(text);
    const ArenaRange range{out.arena.size(), code.size()};
    out.arena += code;
    for (FieldId m : e.currency_for) explicit_currency[m] = range;
    if (e.field) out.set_text(*e.field, text);
    return true;
  }
  if (e.field) return read_field((*schema_fields)[*e.field], *e.field, e.path, value, type, out);
  // A parent key whose value is not an object.
  return wrong_type(e.path, "an object", type);
}

bool RecordDecoder::Impl::read_field(const stdlib::Field& field, stdlib::FieldId f, std::string_view path,
                                     od::value& value, od::json_type type, Record& out) {
  switch (field.type) {
    case stdlib::FieldType::kText: {
      if (type != od::json_type::string) return wrong_type(path, "a string", type);
      std::string_view text;
      if (auto err = value.get_string().get(text)) return fail(err);
      out.set_text(f, text);
      return true;
    }
    case stdlib::FieldType::kNumber: {
      if (type != od::json_type::number) return wrong_type(path, "a number", type);
      return read_number(f, path, value, out);
    }
    case stdlib::FieldType::kBool: {
      if (type != od::json_type::boolean) return wrong_type(path, "a boolean", type);
      bool b;
      if (auto err = value.get_bool().get(b)) return fail(err);
      out.set_number(f, b ? 1 : 0);
      return true;
    }
    case FieldType::kMoney: {
      if (type == od::json_type::number) {
        symbol_currency[f].reset();
        return read_number(f, path, value, out);
      }
      if (type != od::json_type::string) return wrong_type(path, expected_for(field.type), type);
      std::string_view text;
      if (auto err = value.get_string().get(text)) return fail(err);
      std::optional<ParsedPrice> price = parse_price_string(text);
      symbol_currency[f].reset();
      if (!price) {
        // "negotiable", "call me": no amount, which is not the record's fault.
        out.values[f].present = false;
        return true;
      }
      out.set_number(f, price->amount);
      if (!price->currency.empty()) {
        symbol_currency[f] = ArenaRange{out.arena.size(), price->currency.size()};
        out.arena += price->currency;
      }
      return true;
    }
    case stdlib::FieldType::kTextList: {
      if (type == od::json_type::string) {
        std::string_view text;
        if (auto err = value.get_string().get(text)) return fail(err);
        out.begin_text_list(f);
        out.append_list_element(f, text);
        return true;
      }
      if (type != od::json_type::array) return wrong_type(path, expected_for(field.type), type);
      od::array array;
      if (auto err = value.get_array().get(array)) return fail(err);
      out.begin_text_list(f);
      std::size_t index = 0;
      for (auto element_result : array) {
        od::value element;
        if (auto err = element_result.get(element)) return fail(err);
        od::json_type element_type;
        if (auto err = element.type().get(element_type)) return fail(err);
        if (!valid_literal(element, element_type)) return fail(kBadLiteral);
        if (element_type == od::json_type::string) {
          std::string_view text;
          if (auto err = element.get_string().get(text)) return fail(err);
          out.append_list_element(f, text);
        } else if (element_type != od::json_type::null) {
          return wrong_type(fmt::format("{}[{}]", path, index), "a string", element_type);
        }
        ++index;
      }
      return true;
    }
  }
  return true;
}

RecordDecoder::RecordDecoder(const RecordSchema& schema) : schema_(&schema), impl_(std::make_unique<Impl>()) {
  impl_->schema_fields = &schema.fields();
}
RecordDecoder::~RecordDecoder() = default;
RecordDecoder::RecordDecoder(RecordDecoder&&) noexcept = default;
RecordDecoder& RecordDecoder::operator=(RecordDecoder&&) noexcept = default;

void RecordDecoder::stamp_shape(Record& out) const {
  if (const auto f = schema_->shape_field(); f && *f < out.values.size()) out.set_text(*f, to_string(shape_));
}

DecodeError RecordDecoder::decode(std::string_view line, Record& out) {
  Impl& impl = *impl_;
  out.clear(schema_->fields().size());
  impl.explicit_currency.assign(schema_->fields().size(), std::nullopt);
  impl.symbol_currency.assign(schema_->fields().size(), std::nullopt);
  // Reserve for the worst case (every byte of the line materialized, plus list separators) so
  // that the arena does not reallocate while a line is decoded.
  out.arena.reserve(line.size() + 64);

  std::size_t b = 0;
  while (b < line.size() && (line[b] == ' ' || line[b] == '\t' || line[b] == '\r' || line[b] == '\n')) ++b;
  if (b == line.size()) return {false, "empty line"};

  impl.buffer.assign(line);
  impl.buffer.resize(line.size() + sj::SIMDJSON_PADDING);
  od::document doc;
  if (auto err = impl.parser.iterate(impl.buffer.data(), line.size(), impl.buffer.size()).get(doc)) {
    return {false, json_error(err)};
  }
  od::json_type type;
  if (auto err = doc.type().get(type)) return {false, json_error(err)};
  if (type != od::json_type::object) return {false, "not a JSON object"};
  od::object object;
  if (auto err = doc.get_object().get(object)) return {false, json_error(err)};
  impl.shape = shape_;
  stamp_shape(out);
  if (!impl.read_object(schema_->root(shape_), object, out, /*top=*/true)) {
    return {false, std::move(impl.message)};
  }
  for (FieldId f = 0; f < out.values.size(); ++f) {
    const auto& currency = impl.explicit_currency[f] ? impl.explicit_currency[f] : impl.symbol_currency[f];
    out.values[f].currency_begin = currency ? currency->begin : 0;
    out.values[f].currency_size = currency ? currency->size : 0;
  }
  // Anything after the object ("{} {}", "{}x") is an error: a line is exactly one record.
  const char* rest = nullptr;
  if (!doc.current_location().get(rest)) return {false, "invalid JSON: content after the JSON object"};
  return {};
}

}  // namespace tusk::runtime
