// JSON text shared by every JSON writer of the project (diagnostics, verdicts, reports): string
// escaping and numbers. Output is UTF-8; control characters become \u00XX.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tusk::base {

void append_json_string(std::string& out, std::string_view s);  // with the quotes
std::string json_string(std::string_view s);                    // with the quotes

// A number as fmt's "{}" writes it (the shortest form that reads back the same; NaN as "nan",
// which callers that may hold one must test first). Integral values take a short path: verdict
// output writes a score per listing and a start and end per evidence.
void append_json_number(std::string& out, double x);
void append_json_number(std::string& out, std::uint64_t x);

}  // namespace tusk::base
