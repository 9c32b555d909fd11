// Parsing one .tusk file into the AST. The grammar itself is in grammar.h and is not part
// of this interface: PEGTL stays inside dsl/.
#pragma once

#include "base/diagnostic.h"
#include "base/source.h"
#include "dsl/ast.h"

namespace tusk::dsl {

struct ParseOptions {
  // Deeply nested input (parentheses, `not not not ...`) is rejected with E002 instead of
  // exhausting the stack.
  int max_nesting_depth = 64;
  // The height of one expression tree (a condition, a score, a lexicon algebra): every operator
  // of a chain (`a or b or c`, `1 + 1 + 1`, `x + y + z` of lexicons) is one level more, as are
  // calls, `not`, `in`, `mentions`, ... Higher trees are rejected with E002, so that no part of
  // Tusk that walks a tree (checker, planner, formatter, backends) can exhaust the stack.
  int max_expression_height = 1000;
};

// Parses the whole file. Every syntax error is reported: after one, parsing resumes at the
// next top-level declaration keyword. The returned tree holds every declaration that parsed.
File parse(const base::SourceFile& source, base::Diagnostics& diags, const ParseOptions& options = {});

}  // namespace tusk::dsl
