#include "lsp/text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace tusk::lsp {
namespace {

// Length of the UTF-8 sequence that starts with `c` (1 for stray continuation bytes).
std::uint32_t utf8_len(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

LineMap::LineMap(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

Position LineMap::position(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  std::uint32_t units = 0;
  for (std::uint32_t i = starts_[line]; i < offset;) {
    const std::uint32_t n = utf8_len(static_cast<unsigned char>(text_[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return {line, units};
}

std::uint32_t LineMap::offset(Position p) const {
  if (p.line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  std::uint32_t i = starts_[p.line];
  std::uint32_t units = 0;
  while (i < text_.size() && text_[i] != '\n' && units < p.character) {
    const std::uint32_t n = utf8_len(static_cast<unsigned char>(text_[i]));
    units += n == 4 ? 2 : 1;
    i = std::min<std::uint32_t>(i + n, static_cast<std::uint32_t>(text_.size()));
  }
  if (i > starts_[p.line] && i <= text_.size() && text_[i - 1] == '\r' &&
      (i == text_.size() || text_[i] == '\n')) {
    --i;
  }
  return i;
}

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.substr(0, kScheme.size()) != kScheme) return "";
  uri.remove_prefix(kScheme.size());
  // file://host/path: only the empty host (or localhost) names a local file.
  const auto slash = uri.find('/');
  if (slash == std::string_view::npos) return "";
  const std::string_view host = uri.substr(0, slash);
  if (!host.empty() && host != "localhost") return "";
  uri.remove_prefix(slash);
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size()) {
      const std::string hex(uri.substr(i + 1, 2));
      char* end = nullptr;
      const long v = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += uri[i];
  }
  return std::filesystem::path(out).lexically_normal().generic_string();
}

std::string path_to_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string abs =
      std::filesystem::absolute(std::filesystem::path(path)).lexically_normal().generic_string();
  std::string out = "file://";
  for (const unsigned char c : abs) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace tusk::lsp
