#include "accounts/state_log.h"

#include <xxhash.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tusk/state.h"

namespace tusk::accounts {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kHeader = 12;  // u32 length, u64 checksum

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw StateError("account state: " + what + " " + path + ": " + std::strerror(errno));
}

// XXH3 (libxxhash, as the artifact cache): a record of a batch of 64 entities is some 6 KB,
// checksummed on the writer's thread, and XXH3 costs less than the write() call.
std::uint64_t checksum(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view in, std::size_t& pos, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
    const auto b = static_cast<unsigned char>(in[pos++]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool get_bytes(std::string_view in, std::size_t& pos, std::string_view& out) {
  std::uint64_t n = 0;
  if (!get_varint(in, pos, n) || n > in.size() - pos) return false;
  out = in.substr(pos, n);
  pos += n;
  return true;
}

bool get_value(std::string_view in, std::size_t& pos, std::string_view& out) {
  std::uint32_t n = 0;
  if (in.size() - pos < 4) return false;
  std::memcpy(&n, in.data() + pos, 4);
  pos += 4;
  if (n > in.size() - pos) return false;
  out = in.substr(pos, n);
  pos += n;
  return true;
}

void sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("cannot sync", dir);
}

}  // namespace

StateLog::StateLog(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw StateError("account state: cannot create " + dir_ + ": " + ec.message());
}

StateLog::~StateLog() {
  for (const int fd : ended_) ::close(fd);
  if (fd_ >= 0) ::close(fd_);
}

std::string StateLog::path_of(std::uint64_t n) const {
  char name[32];
  std::snprintf(name, sizeof name, "%016llu.log", static_cast<unsigned long long>(n));
  return dir_ + "/" + name;
}

std::vector<std::uint64_t> StateLog::segments() const {
  std::vector<std::uint64_t> out;
  std::error_code ec;
  fs::directory_iterator it(dir_, ec);
  if (ec) throw StateError("account state: cannot list " + dir_ + ": " + ec.message());
  for (const auto& entry : it) {
    const auto name = entry.path().filename().string();
    if (name.size() != 20 || name.substr(16) != ".log") continue;
    if (!std::all_of(name.begin(), name.begin() + 16, [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.push_back(std::stoull(name.substr(0, 16)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void StateLog::replay(const std::function<void(std::string_view, std::string_view, bool)>& f) const {
  for (const auto n : segments()) {
    const auto path = path_of(n);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read", path);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string_view all(bytes);
    for (std::size_t at = 0; at + kHeader <= all.size();) {
      std::uint32_t length = 0;
      std::uint64_t sum = 0;
      std::memcpy(&length, all.data() + at, 4);
      std::memcpy(&sum, all.data() + at + 4, 8);
      if (length > all.size() - at - kHeader) break;  // cut off: never acknowledged
      const auto payload = all.substr(at + kHeader, length);
      if (checksum(payload) != sum) break;  // damaged: never acknowledged, or lost with the power
      // The payload is whole, so it is parsed in full before any of it is applied: a record is a
      // batch, all or nothing.
      struct Item {
        std::string_view key, value;
        bool erase;
      };
      std::vector<Item> items;
      std::size_t pos = 0;
      bool ok = true;
      while (ok && pos < payload.size()) {
        Item item{{}, {}, payload[pos++] == 1};
        ok = get_bytes(payload, pos, item.key) && (item.erase || get_value(payload, pos, item.value));
        items.push_back(item);
      }
      if (!ok) {
        throw StateError("account state: " + path + " holds a record this version cannot read (at byte " +
                         std::to_string(at) + ")");
      }
      for (const auto& item : items) f(item.key, item.value, item.erase);
      at += kHeader + length;
    }
  }
}

void StateLog::open_segment(std::uint64_t n) {
  const auto path = path_of(n);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", path);
  std::lock_guard lock(fd_mu_);
  if (fd_ >= 0) ended_.push_back(fd_);
  fd_ = fd;
  current_ = n;
  bytes_ = 0;
}

void StateLog::remove(std::uint64_t n) const {
  std::error_code ec;
  fs::remove(path_of(n), ec);
  if (ec) throw StateError("account state: cannot delete " + path_of(n) + ": " + ec.message());
}

void StateLog::start() {
  const auto old = segments();
  for (const auto n : old) remove(n);
  open_segment(old.empty() ? 1 : old.back() + 1);
  sync_dir(dir_);
}

void StateLog::begin() {
  record_.clear();
  record_.append(kHeader, '\0');
}

void StateLog::add(std::string_view key, std::string_view value, bool erase) {
  if (erase) {
    record_.push_back(1);
    put_varint(record_, key.size());
    record_.append(key);
  } else {
    begin_put(key).append(value);
    end_put();
  }
}

std::string& StateLog::begin_put(std::string_view key) {
  record_.push_back(0);
  put_varint(record_, key.size());
  record_.append(key);
  value_at_ = record_.size();
  record_.append(4, '\0');
  return record_;
}

void StateLog::end_put() {
  const auto length = static_cast<std::uint32_t>(record_.size() - value_at_ - 4);
  std::memcpy(record_.data() + value_at_, &length, 4);
}

void StateLog::commit(bool sync) {
  const std::string_view payload = std::string_view(record_).substr(kHeader);
  if (payload.size() > 0xffffffffULL) throw StateError("account state: a batch is too large for the log");
  const auto length = static_cast<std::uint32_t>(payload.size());
  const auto sum = checksum(payload);
  std::memcpy(record_.data(), &length, 4);
  std::memcpy(record_.data() + 4, &sum, 8);
  for (std::size_t done = 0; done < record_.size();) {
    const auto n = ::write(fd_, record_.data() + done, record_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write", path_of(current_));
    done += static_cast<std::size_t>(n);
  }
  bytes_ += record_.size();
  if (sync && ::fdatasync(fd_) != 0) fail("cannot sync", path_of(current_));
}

std::uint64_t StateLog::rotate(bool durable_now) {
  const auto ended = current_;
  open_segment(current_ + 1);
  if (durable_now) sync_dir(dir_);
  return ended;
}

void StateLog::sync_ended() {
  std::vector<int> ended;
  {
    std::lock_guard lock(fd_mu_);
    ended.swap(ended_);
  }
  bool ok = true;
  for (const int fd : ended) {
    ok = ::fdatasync(fd) == 0 && ok;
    ::close(fd);
  }
  if (!ok) fail("cannot sync a segment in", dir_);
  sync_dir(dir_);
}

void StateLog::sync() {
  // The current segment and any ended one a save has not synced yet (between rotate() and
  // sync_ended()): flush() promises every record so far. Duplicates, so that rotate() and
  // sync_ended() may close theirs meanwhile.
  std::vector<int> fds;
  {
    std::lock_guard lock(fd_mu_);
    for (const int fd : ended_) fds.push_back(::dup(fd));
    if (fd_ >= 0) fds.push_back(::dup(fd_));
  }
  bool ok = true;
  for (const int fd : fds) {
    ok = fd >= 0 && ::fdatasync(fd) == 0 && ok;
    if (fd >= 0) ::close(fd);
  }
  if (!ok) fail("cannot sync", dir_);
}

void StateLog::drop_through(std::uint64_t last) {
  for (const auto n : segments()) {
    if (n <= last) remove(n);
  }
}

}  // namespace tusk::accounts
