#include "stdlib/regex_form.h"

#include <fmt/format.h>
#include <hs/hs.h>

namespace tusk::stdlib {

bool regex_form(const std::string& pattern, const std::string& flags, RegexForm* out, std::string* error) {
  out->hs_flags = HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST;
  std::string prefix;
  for (char f : flags) {
    switch (f) {
      case 'i':
        out->hs_flags |= HS_FLAG_CASELESS;
        break;
      case 's':
        out->hs_flags |= HS_FLAG_DOTALL;
        break;
      case 'm':
        out->hs_flags |= HS_FLAG_MULTILINE;
        break;
      case 'x':
        prefix = "(?x)";
        break;  // Vectorscan has no flag for it, only the inline option
      default:
        *error = fmt::format("unknown regex flag '{}' (expected any of i, s, m, x)", f);
        return false;
    }
  }
  out->expression = prefix + pattern;
  return true;
}

}  // namespace tusk::stdlib
