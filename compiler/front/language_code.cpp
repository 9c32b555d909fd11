#include "compiler/front/language_code.h"

#include <unicode/uloc.h>

#include <cctype>

namespace tusk::compiler::front {

bool is_language_code(const std::string& code) {
  const std::size_t dash = code.find('-');
  const std::string primary = code.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  for (char c : primary) {
    if (c < 'a' || c > 'z') return false;
  }
  bool known = false;
  for (const char* const* l = uloc_getISOLanguages(); *l != nullptr && !known; ++l) known = primary == *l;
  if (!known || dash == std::string::npos) return known;
  std::size_t start = dash + 1;
  for (;;) {
    const std::size_t next = code.find('-', start);
    const std::string sub = code.substr(start, next == std::string::npos ? std::string::npos : next - start);
    if (sub.size() < 2 || sub.size() > 8) return false;
    for (char c : sub) {
      if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    }
    if (next == std::string::npos) return true;
    start = next + 1;
  }
}

}  // namespace tusk::compiler::front
