// Parsing one .tusk file into the AST. The grammar itself is in grammar.h and is not part
// of this interface: PEGTL stays inside dsl/.
#pragma once

#include "dsl/ast.h"
#include "base/diagnostic.h"
#include "base/source.h"

namespace tusk::dsl {

struct ParseOptions {
  // Deeply nested input (parentheses, `not not not ...`) is rejected with E002 instead of
  // exhausting the stack.
  int max_nesting_depth = 64;
};

// Parses the whole file. Every syntax error is reported: after one, parsing resumes at the
// next top-level declaration keyword. The returned tree holds every declaration that parsed.
File parse(const base::SourceFile& source, base::Diagnostics& diags, const ParseOptions& options = {});

}  // namespace tusk::dsl
