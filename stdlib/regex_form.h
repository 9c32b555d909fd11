// How a Tusk regex is handed to Vectorscan. One definition for the checker (which compiles each
// regex to report errors at its span) and the runtime (which builds the databases), so that a
// regex that checks clean always compiles at load time.
#pragma once

#include <string>

namespace tusk::stdlib {

struct RegexForm {
  std::string expression;  // the pattern as Vectorscan receives it
  unsigned hs_flags = 0;   // HS_FLAG_* bits
};

// Flags: i (caseless), s (dot matches newline), m (multi-line anchors), x (extended syntax).
// UTF-8 mode with leftmost start of match, but without UCP: Vectorscan rejects `\b` in UCP mode
// and `\w+` with leftmost start grows databases tenfold, so `\w \d \s \b` are ASCII classes as in
// PCRE's default; `\p{L}` and `\p{N}` give Unicode classes. Returns false with *error for an
// unknown flag.
bool regex_form(const std::string& pattern, const std::string& flags, RegexForm* out, std::string* error);

}  // namespace tusk::stdlib
