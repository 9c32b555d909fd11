// Problems in a pack, returned as data by Pack::compile (never thrown).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tusk {

struct Diagnostic {
  std::string code;      // "E012", "W003"
  std::string severity;  // "error" | "warning"
  std::string message;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string rendered;  // rustc-style text with the source line and carets
};

}  // namespace tusk
