#include "cli/line_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

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
  chunk.first_line = line_ + 1;
  ends_.clear();
  std::size_t bytes = 0;
  while (ends_.size() < max_lines && (ends_.empty() || bytes < max_bytes) && error.empty()) {
    if (fd_ < 0 && !open_next(error)) break;
    std::size_t end = buf_.find('\n', pos_);
    if (end == std::string::npos) {
      if (!eof_) {
        if (!fill(error)) close();
        continue;
      }
      if (pos_ == buf_.size()) {
        close();
        continue;
      }
      end = buf_.size();  // the input's last line has no newline
    }
    std::string_view line(buf_.data() + pos_, end - pos_);
    pos_ = std::min(end + 1, buf_.size());
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
    buf_.clear();
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
  // What is left of the block is at most one partial line: move it to the front.
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t had = buf_.size();
  buf_.resize(had + kBlockBytes);
  ssize_t n = 0;
  do {
    n = ::read(fd_, buf_.data() + had, kBlockBytes);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    error = fmt::format("cannot read {}: {}", current_, std::strerror(errno));
    buf_.resize(had);
    return false;
  }
  buf_.resize(had + static_cast<std::size_t>(n));
  if (n == 0) eof_ = true;
  return true;
}

void LineSource::close() {
  if (own_fd_ && fd_ >= 0) ::close(fd_);
  fd_ = -1;
  own_fd_ = false;
  buf_.clear();
  pos_ = 0;
}

}  // namespace tusk::cli
