// The `tusk explain` trace as one JSON object, for programs (the /v1/explain route of `tusk
// serve`): the text of each field with its normalized forms, every hit, each rule's condition
// as a tree with the value of every sub-expression, the score and the decide branch taken.
#pragma once

#include <string>
#include <string_view>

#include "tusk/scanner.h"

namespace tusk::tools {

// Evaluates `listing` (one JSON object) with `scanner` and appends the explanation to `out`.
// False, with the reason in `error` and `out` unchanged, when the listing cannot be read.
bool explain_json(Scanner& scanner, std::string_view listing, std::string& out, std::string& error);

}  // namespace tusk::tools
