// A stable, indented text form of the AST for golden tests (`name.ast`) and `tusk check --dump ast`.
#pragma once

#include <string>

#include "base/source.h"
#include "dsl/ast.h"

namespace tusk::dsl {

std::string dump_ast(const File& file, const base::SourceManager& sources);

}  // namespace tusk::dsl
