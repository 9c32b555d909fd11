#include "cli/line_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tusk::cli {

LineSource::LineSource(std::vector<std::string> inputs) : inputs_(std::move(inputs)) {
  if (inputs_.empty()) inputs_.emplace_back("-");
}

LineSource::~LineSource() { close(); }

bool LineSource::next(LineChunk& chunk, std::size_t max_lines, std::size_t max_bytes, std::string& error) {
  chunk.data.clear();
  chunk.lines.clear();
  // Reserved once: growing by doubling copied the chunk and faulted in fresh pages each time.
  if (chunk.data.capacity() < max_bytes) chunk.data.reserve(max_bytes + kBlockBytes / 8);
  chunk.first_line = line_ + 1;
  ends_.clear();
  std::size_t bytes = 0;
  while (ends_.size() < max_lines && (ends_.empty() || bytes < max_bytes) && error.empty()) {
    if (fd_ < 0 && !open_next(error)) break;
    const char* begin = buf_.get() + pos_;
    const auto* nl = len_ > pos_ ? static_cast<const char*>(std::memchr(begin, '\n', len_ - pos_)) : nullptr;
    std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - buf_.get()) : len_;
    if (nl == nullptr) {
      if (!eof_) {
        if (!fill(error)) close();
        continue;
      }
      if (pos_ == len_) {
        close();
        continue;
      }
      // The input's last line has no newline: `end` is the end of the input.
    }
    std::string_view line(begin, end - pos_);
    pos_ = std::min(end + 1, len_);
    if (at_start_ && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    at_start_ = false;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_;
    bytes += line.size() + 1;
    chunk.data.append(line);
    ends_.push_back(chunk.data.size());
  }
  // The views are made once the data stops growing.
  std::size_t start = 0;
  for (const std::size_t e : ends_) {
    chunk.lines.emplace_back(chunk.data.data() + start, e - start);
    start = e;
  }
  return !chunk.lines.empty();
}

bool LineSource::open_next(std::string& error) {
  while (next_input_ < inputs_.size()) {
    const std::string& path = inputs_[next_input_++];
    at_start_ = true;
    eof_ = false;
    len_ = 0;
    pos_ = 0;
    current_ = path == "-" ? "standard input" : path;
    if (path == "-") {
      fd_ = STDIN_FILENO;
      own_fd_ = false;
      return true;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      error = fmt::format("cannot read {}: it is a directory", path);
      return false;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
      return false;
    }
    own_fd_ = true;
    return true;
  }
  return false;
}

bool LineSource::fill(std::string& error) {
  // What is left of the block is at most one partial line: move it to the front, and grow the
  // buffer only for a line longer than it.
  if (len_ > pos_ && pos_ > 0) std::memmove(buf_.get(), buf_.get() + pos_, len_ - pos_);
  len_ -= pos_;
  pos_ = 0;
  if (len_ + kBlockBytes > cap_) {
    const std::size_t cap = std::max(cap_ * 2, len_ + kBlockBytes);
    auto grown = std::make_unique_for_overwrite<char[]>(cap);
    if (len_ > 0) std::memcpy(grown.get(), buf_.get(), len_);
    buf_ = std::move(grown);
    cap_ = cap;
  }
  ssize_t n = 0;
  do {
    n = ::read(fd_, buf_.get() + len_, kBlockBytes);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    error = fmt::format("cannot read {}: {}", current_, std::strerror(errno));
    return false;
  }
  len_ += static_cast<std::size_t>(n);
  if (n == 0) eof_ = true;
  return true;
}

void LineSource::close() {
  if (own_fd_ && fd_ >= 0) ::close(fd_);
  fd_ = -1;
  own_fd_ = false;
  len_ = 0;
  pos_ = 0;
}

}  // namespace tusk::cli
