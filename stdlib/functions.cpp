#include "stdlib/functions.h"

namespace tusk::stdlib {

const std::vector<FunctionDecl>& functions() {
  using P = Param;
  static const std::vector<FunctionDecl> kFunctions = {
      {FunctionId::kHas, "has", {P::kField}, Result::kBool, true, "tusk_fn_has",
       "has(field): the record has the field (a number may be 0, a text may be empty)"},
      {FunctionId::kNear, "near", {P::kScope, P::kLexicon, P::kLexicon, P::kWithin}, Result::kBool, true,
       "tusk_fn_near", "near(scope, a, b, within N words): a hit of `a` within N words of a hit of `b`"},
      {FunctionId::kCount, "count", {P::kScope, P::kLexiconOrRegex}, Result::kNumber, true, "tusk_fn_count",
       "count(scope, lexicon_or_regex): the number of hits in the scope"},
      {FunctionId::kWeightKg, "weight_kg", {P::kScope}, Result::kNumber, true, "tusk_fn_weight_kg",
       "weight_kg(scope): the first weight in the text (kg, g, lb, oz, 公斤, 千克, 克, 斤, 两) in kilograms"},
      {FunctionId::kPerKg, "per_kg", {P::kMoney, P::kScope}, Result::kMoney, true, "tusk_fn_per_kg",
       "per_kg(price, scope): the price divided by the weight found in the scope"},
      {FunctionId::kLen, "len", {P::kScope}, Result::kNumber, true, "tusk_fn_len",
       "len(scope): the length of the scope's text in bytes"},
  };
  return kFunctions;
}

const FunctionDecl* find_function(std::string_view name) {
  for (const auto& f : functions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FunctionDecl& function(FunctionId id) { return functions().at(static_cast<std::size_t>(id)); }

}  // namespace tusk::stdlib
