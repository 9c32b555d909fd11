#include "lsp/jsonrpc.h"

#include <istream>
#include <ostream>

namespace tusk::lsp {

std::optional<std::string> read_message(std::istream& in) {
  std::optional<std::size_t> length;
  std::string line;
  while (true) {
    if (!std::getline(in, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (length) break;
      continue;  // stray blank line between messages
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "content-length") {
      try {
        length = std::stoul(line.substr(colon + 1));
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  std::string body(*length, '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(*length))) return std::nullopt;
  return body;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace tusk::lsp
