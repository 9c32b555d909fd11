// Decoding of the parser's tokens into AST values: string literals (escapes), numbers and
// dotted names. Called by the parser's actions once the grammar has matched the token; what the
// grammar cannot check (code point ranges, number overflow) throws SyntaxError.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dsl/ast.h"

namespace tusk::dsl {

// `raw` is the literal with its quotes; `begin` its offset in the source, for error spans.
std::string decode_string(std::string_view raw, std::uint32_t begin);
NumberLit decode_number(std::string_view text, base::Span span);
QualifiedName decode_qname(std::string_view text, std::uint32_t begin, base::SourceId source);

}  // namespace tusk::dsl
