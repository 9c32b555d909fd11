// `tusk fmt`: the canonical layout of a .tusk file. Comments are kept (by position, from
// File::comments); formatting is idempotent: format(parse(format(x))) == format(x), and the
// formatted file parses to the same tree modulo spans.
#pragma once

#include <string>

#include "base/source.h"
#include "dsl/ast.h"

namespace tusk::dsl {

struct FormatOptions {
  // Lines longer than this are broken where the layout allows it (conditions at top-level
  // `and`/`or`, listings one field per line, term groups across lines).
  int max_width = 120;
};

// Formats a file that parsed without errors (a file with syntax errors would lose the
// declarations that failed: callers must not format it).
std::string format(const File& file, const base::SourceFile& source, const FormatOptions& options = {});

}  // namespace tusk::dsl
