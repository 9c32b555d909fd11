#include "compiler/front/checked.h"

namespace tusk::compiler::front {

const char* to_string(Type t) {
  switch (t) {
    case Type::kBool:
      return "bool";
    case Type::kNumber:
      return "number";
    case Type::kText:
      return "text";
    case Type::kMoney:
      return "money";
    case Type::kLexicon:
      return "lexicon";
    case Type::kRegex:
      return "regex";
    case Type::kScope:
      return "scope";
    case Type::kAction:
      return "action";
  }
  return "?";
}

std::optional<stdlib::FieldId> CheckedPack::find_field(std::string_view path) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].path == path) return static_cast<stdlib::FieldId>(i);
  }
  return std::nullopt;
}

}  // namespace tusk::compiler::front
