#include "cli/corpus.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>

namespace tusk::cli {

std::string for_each_line(const std::vector<std::string>& inputs,
                          const std::function<void(std::string_view)>& fn) {
  const std::vector<std::string> all = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
  for (const auto& path : all) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
      file.open(path, std::ios::binary);
      if (!file) return fmt::format("cannot read {}", path);
      in = &file;
    }
    std::string line;
    bool first = true;
    while (std::getline(*in, line)) {
      // A UTF-8 byte order mark at the start of an input is not part of the first record.
      if (first && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
      first = false;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      fn(line);
    }
  }
  return "";
}

std::string corpus_name(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return "(stdin)";
  std::string out;
  for (const auto& p : inputs) out += (out.empty() ? "" : " ") + (p == "-" ? std::string("(stdin)") : p);
  return out;
}

}  // namespace tusk::cli
