// Source files and spans. A span is a source id plus byte offsets; line and column are
// computed on demand from a line table, never stored in the tree (cel-cpp, YARA-X).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::base {

using SourceId = std::uint32_t;
inline constexpr SourceId kNoSource = 0xffffffffu;

// A half-open byte range [begin, end) in one source file.
struct Span {
  SourceId source = kNoSource;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool valid() const { return source != kNoSource; }
  friend bool operator==(const Span&, const Span&) = default;
};

// 1-based line and column; the column counts Unicode code points, as editors do.
struct LineCol {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

class SourceFile {
 public:
  SourceFile(SourceId id, std::string path, std::string text);

  SourceId id() const { return id_; }
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }

  LineCol line_col(std::uint32_t offset) const;
  // The text of the 1-based line, without its line terminator.
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  std::string_view slice(Span span) const;

 private:
  SourceId id_;
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;  // byte offset of each line's first byte
};

// Owns every source file of a compilation; ids index into it. Files are never removed, so
// a SourceFile reference stays valid for the manager's lifetime.
class SourceManager {
 public:
  const SourceFile& add(std::string path, std::string text);
  const SourceFile& file(SourceId id) const { return *files_.at(id); }
  const SourceFile* find(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace tusk::base
