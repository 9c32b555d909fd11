// Positions as LSP counts them (0-based line, UTF-16 code units in the line) against byte
// offsets into UTF-8 text as the front end's spans do, and file URIs against paths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::lsp {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units
};

class LineMap {
 public:
  explicit LineMap(std::string_view text);
  Position position(std::uint32_t offset) const;
  // Clamped to the text: a position past the end of a line is the line's end.
  std::uint32_t offset(Position p) const;

 private:
  std::string_view text_;
  std::vector<std::uint32_t> starts_;
};

// file:///a%20b/c.tusk <-> /a b/c.tusk. Anything else gives "".
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

}  // namespace tusk::lsp
