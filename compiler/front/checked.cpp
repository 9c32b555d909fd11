#include "compiler/front/checked.h"

namespace tusk::compiler {

const char* to_string(Type t) {
  switch (t) {
    case Type::kBool: return "bool";
    case Type::kNumber: return "number";
    case Type::kText: return "text";
    case Type::kMoney: return "money";
    case Type::kLexicon: return "lexicon";
    case Type::kRegex: return "regex";
    case Type::kScope: return "scope";
  }
  return "?";
}

const char* to_string(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kTextList: return "text_list";
    case FieldType::kNumber: return "number";
    case FieldType::kMoney: return "money";
    case FieldType::kBool: return "bool";
  }
  return "?";
}

std::optional<FieldId> CheckedPack::find_field(std::string_view path) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].path == path) return static_cast<FieldId>(i);
  }
  return std::nullopt;
}

}  // namespace tusk::compiler
