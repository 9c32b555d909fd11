// The input lines of `tusk scan`: one or more files (or `-`, standard input) read in large
// blocks and cut into lines, in order, chunk by chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::cli {

// A run of consecutive input lines. `lines` point into `data`, which the chunk owns.
struct LineChunk {
  std::uint64_t first_line = 0;  // 1-based number of lines[0], counted across all inputs
  std::string data;
  std::vector<std::string_view> lines;
};

class LineSource {
 public:
  explicit LineSource(std::vector<std::string> inputs);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Fills `chunk` with up to `max_lines` lines and about `max_bytes` bytes (always at least one
  // line, however long); false at the end of all inputs or on an error, which stops the inputs
  // (the lines already in `chunk` are still to be scanned). A line is what `std::getline` would
  // give: the bytes before a `\n` (or the end of the input), without a trailing `\r`, and
  // without a UTF-8 byte order mark at the start of an input.
  bool next(LineChunk& chunk, std::size_t max_lines, std::size_t max_bytes, std::string& error);

  // Bytes asked of read(2) at a time: few system calls per listing (docs/performance.md).
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

 private:
  bool open_next(std::string& error);
  bool fill(std::string& error);  // reads a block; false on an error
  void close();

  std::vector<std::string> inputs_;
  std::size_t next_input_ = 0;
  int fd_ = -1;
  bool own_fd_ = false;
  bool eof_ = false;
  bool at_start_ = false;
  std::string current_;  // the input's name, for messages
  // Bytes read: [pos_, len_) not yet handed out. Allocated once and not zero-filled: on these
  // VMs a page fault costs ~10 µs, so a fresh 1 MiB buffer per block cost milliseconds.
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0, len_ = 0;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 0;
  std::vector<std::size_t> ends_;  // scratch: where each line of a chunk ends in its data
};

}  // namespace tusk::cli
