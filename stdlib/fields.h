// The fields of a record as the language sees them: their types, the default listing schema
// and which fields the `text` pseudo-field covers. Written once here; the checker, the plan
// and the record decoder all read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tusk::stdlib {

enum class FieldType { kText, kTextList, kNumber, kMoney, kBool };
const char* to_string(FieldType t);

// A field of the listing record. The default schema comes first; pack.yaml may declare more,
// including nested paths (`seller.account_age_days`).
struct Field {
  std::string path;  // dotted JSON path
  FieldType type = FieldType::kText;
  bool in_text = false;  // part of the `text` pseudo-field (all free-text fields)
};
using FieldId = std::uint32_t;

// Field sets are bitmasks over FieldId: a pack reads at most kMaxFields fields.
inline constexpr std::uint32_t kMaxFields = 64;
using FieldMask = std::uint64_t;

// The default listing schema: id, title, description, price, currency, category, tags,
// seller.id, seller.country, seller.description, location, url, posted_at, shape. `text` covers what
// the seller wrote freely (title, description, tags, seller.description); controlled values
// (category, country, location, url) are left out, so that "ivory coast" in a location does
// not read as a mention of ivory.
std::vector<Field> default_fields();

// The `shape` field: "listing" or "post", the record shape the record was read with
// (docs/records.md, "Posts"). The decoder sets it; it is never read from the JSON.
inline constexpr const char* kShapeField = "shape";

}  // namespace tusk::stdlib
