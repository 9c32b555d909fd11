#include "stdlib/fields.h"

namespace tusk::stdlib {

const char* to_string(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kTextList:
      return "text_list";
    case FieldType::kNumber:
      return "number";
    case FieldType::kMoney:
      return "money";
    case FieldType::kBool:
      return "bool";
  }
  return "?";
}

std::vector<Field> default_fields() {
  using T = FieldType;
  return {
      {"id", T::kText, false},
      {"title", T::kText, true},
      {"description", T::kText, true},
      {"price", T::kMoney, false},
      {"currency", T::kText, false},
      {"category", T::kText, false},
      {"tags", T::kTextList, true},
      {"seller.id", T::kText, false},
      {"seller.country", T::kText, false},
      {"seller.description", T::kText, true},
      {"location", T::kText, false},
      {"url", T::kText, false},
      {"posted_at", T::kText, false},
      {kShapeField, T::kText, false},
  };
}

}  // namespace tusk::stdlib
