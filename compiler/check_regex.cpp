// Regexes are compiled by Vectorscan at check time with the runtime's flags, so that a
// regex it rejects is a diagnostic with a span rather than a failure at load time.
#include <hs/hs.h>

#include <algorithm>

#include "compiler/check.h"

namespace tusk::compiler {

std::optional<std::string> regex_error(const std::string& pattern, const std::string& flags) {
  unsigned hs_flags = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SOM_LEFTMOST;
  for (char f : flags) {
    if (f == 'i') hs_flags |= HS_FLAG_CASELESS;
    else if (f == 's') hs_flags |= HS_FLAG_DOTALL;
    else if (f == 'm') hs_flags |= HS_FLAG_MULTILINE;
    // Vectorscan has no extended-syntax flag: `x` is accepted by the grammar and the
    // runtime strips whitespace and comments before compiling; do the same here.
  }
  std::string effective = pattern;
  if (flags.find('x') != std::string::npos) {
    effective.clear();
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const char c = pattern[i];
      if (c == '\\' && i + 1 < pattern.size()) { effective += c; effective += pattern[++i]; continue; }
      if (c == '[') in_class = true;
      if (c == ']') in_class = false;
      if (!in_class && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
      if (!in_class && c == '#') { while (i < pattern.size() && pattern[i] != '\n') ++i; continue; }
      effective += c;
    }
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile(effective.c_str(), hs_flags, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = err != nullptr && err->message != nullptr ? err->message : "unknown Vectorscan error";
    hs_free_compile_error(err);
    return msg;
  }
  hs_free_database(db);
  return std::nullopt;
}

std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(1, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (c == name) continue;
    // Optimal string alignment distance: Levenshtein plus adjacent transpositions.
    const std::size_t n = name.size(), m = c.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
      for (std::size_t j = 1; j <= m; ++j) {
        const std::size_t cost = name[i - 1] == c[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && name[i - 1] == c[j - 2] && name[i - 2] == c[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    if (d[n][m] < best_d) {
      best_d = d[n][m];
      best = c;
    }
  }
  return best;
}

const std::vector<std::string>& known_profiles() {
  static const std::vector<std::string> kProfiles = {"default", "strict", "evasive", "no_diacritics"};
  return kProfiles;
}

}  // namespace tusk::compiler
