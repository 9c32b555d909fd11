// Regexes are compiled by Vectorscan at check time with the runtime's flags, so that a
// regex it rejects is a diagnostic with a span rather than a failure at load time.
#include <fmt/format.h>
#include <hs/hs.h>

#include <algorithm>

#include "base/version.h"
#include "compiler/front/checker.h"
#include "stdlib/regex_form.h"

namespace tusk::compiler::front {

std::optional<std::string> regex_error(const std::string& pattern, const std::string& flags) {
  stdlib::RegexForm form;
  std::string error;
  if (!stdlib::regex_form(pattern, flags, &form, &error)) return error;
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile(form.expression.c_str(), form.hs_flags, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = err != nullptr && err->message != nullptr ? err->message : "unknown Vectorscan error";
    hs_free_compile_error(err);
    return msg;
  }
  hs_free_database(db);
  return std::nullopt;
}

std::string regex_check_key(const std::vector<std::pair<std::string, std::string>>& regexes) {
  std::string out =
      fmt::format("tusk-regex-check key=1\ntusk={}\nvectorscan={}\n", base::version(), hs_version());
  for (const auto& [pattern, flags] : regexes) {
    out += fmt::format("{}:{};{}:{};", pattern.size(), pattern, flags.size(), flags);
  }
  return out;
}

std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  return base::closest_name(name, candidates);
}

const std::vector<std::string>& known_profiles() {
  // Must equal runtime::profile_names() (a runtime test checks it): the checker cannot see the
  // runtime, and the names are part of the language.
  static const std::vector<std::string> kProfiles = {"raw",           "strict", "default",
                                                     "no_diacritics", "vi",     "evasive"};
  return kProfiles;
}

}  // namespace tusk::compiler::front
