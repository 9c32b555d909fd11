// Spans for yaml-cpp nodes, so that errors in pack.yaml and lexicon files point at the token.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>

#include "base/source.h"

namespace tusk::compiler::front {

// yaml-cpp marks are 0-based line/column; column counts bytes within the line. The end is
// the end of the scalar as written (quotes included), else the end of the line's token.
inline base::Span yaml_span(const base::SourceFile& file, const YAML::Mark& mark, std::size_t min_len = 1) {
  const std::string& text = file.text();
  std::size_t begin = 0;
  if (mark.pos >= 0) {
    begin = static_cast<std::size_t>(mark.pos);
  } else if (mark.line >= 0) {
    int line = 0;
    while (begin < text.size() && line < mark.line) {
      if (text[begin] == '\n') ++line;
      ++begin;
    }
    begin += static_cast<std::size_t>(std::max(mark.column, 0));
  }
  begin = std::min(begin, text.size());
  std::size_t end = begin;
  if (end < text.size() && (text[end] == '{' || text[end] == '[')) {
    // A flow collection: up to its matching bracket on the same line.
    int depth = 0;
    for (; end < text.size() && text[end] != '\n'; ++end) {
      if (text[end] == '{' || text[end] == '[') ++depth;
      if ((text[end] == '}' || text[end] == ']') && --depth == 0) {
        ++end;
        break;
      }
    }
  } else if (end < text.size() && (text[end] == '"' || text[end] == '\'')) {
    const char q = text[end++];
    while (end < text.size() && text[end] != q && text[end] != '\n') {
      end += (text[end] == '\\' && q == '"') ? 2 : 1;
    }
    if (end < text.size() && text[end] == q) ++end;
  } else {
    while (end < text.size() && text[end] != '\n' && text[end] != ',' && text[end] != ']' &&
           text[end] != '}' &&
           !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' ' || text[end + 1] == '\n')) &&
           !(text[end] == ' ' && end + 1 < text.size() && text[end + 1] == '#')) {
      ++end;
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\r')) --end;
  }
  end = std::min(text.size(), std::max(end, begin + min_len));
  return {file.id(), static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

inline base::Span yaml_span(const base::SourceFile& file, const YAML::Node& node) {
  return yaml_span(file, node.Mark());
}

}  // namespace tusk::compiler::front
