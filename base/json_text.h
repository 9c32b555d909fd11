// JSON string escaping shared by every JSON writer of the project (diagnostics, verdicts,
// reports). Output is UTF-8; control characters become \u00XX.
#pragma once

#include <string>
#include <string_view>

namespace tusk::base {

void append_json_string(std::string& out, std::string_view s);  // with the quotes
std::string json_string(std::string_view s);                    // with the quotes

}  // namespace tusk::base
