// The language's built-in functions, declared once with stable ids (cel's StandardOverloadIds,
// Gandiva's registry). The checker types calls from these signatures; the interpreter and the
// JIT bind their implementations by id from the same table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tusk::stdlib {

enum class FunctionId : std::uint16_t {
  kHas,       // has(field) -> bool: the field is present in the record
  kNear,      // near(scope, lexicon, lexicon, within N words) -> bool
  kCount,     // count(scope, lexicon|regex) -> number of hits
  kWeightKg,  // weight_kg(scope) -> number: the first weight written in the text, in kg
  kPerKg,     // per_kg(money, scope) -> money: price divided by weight_kg(scope)
  kLen,       // len(scope) -> number: bytes of text in the scope
};

// What each parameter is: resolved names (scope, lexicon, regex, field) or a value.
enum class Param : std::uint8_t { kScope, kLexicon, kLexiconOrRegex, kField, kNumber, kMoney, kWithin };
enum class Result : std::uint8_t { kBool, kNumber, kMoney };

struct FunctionDecl {
  FunctionId id;
  std::string_view name;
  std::vector<Param> params;
  Result result;
  bool pure;                // same inputs, same output: may be reordered and evaluated once
  std::string_view symbol;  // host symbol the JIT binds (absoluteSymbols)
  std::string_view doc;     // one line for docs/stdlib.md and `did you mean`
};

const std::vector<FunctionDecl>& functions();
const FunctionDecl* find_function(std::string_view name);
const FunctionDecl& function(FunctionId id);

}  // namespace tusk::stdlib
