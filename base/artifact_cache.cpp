#include "base/artifact_cache.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>

#include "base/sha256.h"

namespace tusk::base {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'T', 'U', 'S', 'K', 'C', 'A', 'C', 'H'};
constexpr std::uint32_t kLayoutVersion = 2;  // 2: HMAC-SHA-256 instead of a checksum
constexpr std::size_t kMacBytes = 32;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8 + kMacBytes;
constexpr std::uint64_t kMaxKeyBytes = std::uint64_t{1} << 20;
constexpr std::uint64_t kMaxObjectBytes = std::uint64_t{1} << 30;
constexpr std::size_t kSecretBytes = 32;
constexpr const char* kSecretName = "cache.key";

std::string mac(std::string_view secret, const std::string& key, std::string_view object) {
  // The key's length first, so that (key, object) pairs cannot be re-split.
  std::string header;
  const std::uint64_t n = key.size();
  header.append(reinterpret_cast<const char*>(&n), sizeof(n));
  return hmac_sha256(secret, {header, key, object});
}

// Why a cache directory, entry or key file may not be trusted, or "" when it may: like ssh with
// ~/.ssh, it must belong to the current user and not be writable by group or others (the key
// file not even readable by them).
std::string untrusted(const struct stat& st, bool secret) {
  if (st.st_uid != ::geteuid()) {
    return fmt::format("it belongs to uid {}, not to the current user (uid {})", st.st_uid, ::geteuid());
  }
  const mode_t forbidden = secret ? mode_t{077} : mode_t{S_IWGRP | S_IWOTH};
  if ((st.st_mode & forbidden) != 0) {
    return fmt::format("its mode {:04o} lets {} it", st.st_mode & 07777,
                       secret ? "others read or write" : "group or others write");
  }
  return {};
}

// Says once per directory and process why the cache there is not used.
void say_once(const std::string& dir, const std::string& what, const std::string& why) {
  static std::mutex mutex;
  static std::set<std::string> said;
  std::lock_guard lock(mutex);
  if (!said.insert(dir).second) return;
  std::fprintf(stderr,
               "tusk: not using the artifact cache in %s: %s %s (see docs/jit.md, \"The artifact cache\")\n",
               dir.c_str(), what.c_str(), why.c_str());
}

// The directory's state: absent, trusted, or untrusted (said once).
enum class DirState { kAbsent, kTrusted, kUntrusted };
DirState check_dir(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return errno == ENOENT || errno == ENOTDIR ? DirState::kAbsent : DirState::kUntrusted;
  }
  if (!S_ISDIR(st.st_mode)) {
    say_once(dir, "the directory", "is not a directory");
    return DirState::kUntrusted;
  }
  if (std::string why = untrusted(st, false); !why.empty()) {
    say_once(dir, "the directory", why);
    return DirState::kUntrusted;
  }
  return DirState::kTrusted;
}

enum class ReadResult { kOk, kMissing, kUntrusted, kTooLarge, kError };

// Reads a whole file without following a symlink, blocking on a FIFO or reading a device:
// only a regular file of the current user that group and others cannot write, of at most
// `max_bytes`.
ReadResult read_trusted(const std::string& dir, const std::string& path, bool secret, std::uint64_t max_bytes,
                        std::string& bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return ReadResult::kMissing;
    if (errno == ELOOP) {
      say_once(dir, fmt::format("the file {}", path), "is a symbolic link");
      return ReadResult::kUntrusted;
    }
    return ReadResult::kError;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ReadResult::kError;
  if (!S_ISREG(st.st_mode)) {
    say_once(dir, fmt::format("the file {}", path), "is not a regular file");
    return ReadResult::kUntrusted;
  }
  if (std::string why = untrusted(st, secret); !why.empty()) {
    say_once(dir, fmt::format("the file {}", path), why);
    return ReadResult::kUntrusted;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) return ReadResult::kTooLarge;
  bytes.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);  // a file that shrank meanwhile reads as truncated
  return ReadResult::kOk;
}

// Writes `bytes` to a new file (never an existing one, never through a symlink), mode 0600.
bool write_new(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t put = 0;
  while (put < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + put, bytes.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    put += static_cast<std::size_t>(n);
  }
  const bool ok = put == bytes.size();
  return ::close(fd) == 0 && ok;
}

// The per-user key that authenticates entries, kept in the directory as `cache.key` (0600).
// Created on first use with `create`. Read at every use (32 bytes), so that a key replaced or
// opened up on disk is never used from memory.
std::optional<std::string> secret_for(const std::string& dir, bool create) {
  const std::string path = (fs::path(dir) / kSecretName).string();
  std::string bytes;
  ReadResult r = read_trusted(dir, path, true, kSecretBytes, bytes);
  if (r == ReadResult::kMissing && create) {
    unsigned char fresh[kSecretBytes];
    if (!random_bytes(fresh, sizeof(fresh))) return std::nullopt;
    // Written aside and linked into place, so no reader ever sees a partial key; a process that
    // lost the race to create it reads the winner's.
    const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
    ::unlink(tmp.c_str());
    if (write_new(tmp, std::string_view(reinterpret_cast<const char*>(fresh), sizeof(fresh)))) {
      (void)::link(tmp.c_str(), path.c_str());
    }
    ::unlink(tmp.c_str());
    r = read_trusted(dir, path, true, kSecretBytes, bytes);
  }
  if (r != ReadResult::kOk || bytes.size() != kSecretBytes) return std::nullopt;
  return bytes;
}

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(v));
}
template <typename T>
T get(const std::string& in, std::size_t at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof(v));
  return v;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* d = std::getenv("TUSK_CACHE_DIR"); d != nullptr && *d != '\0') return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return fmt::format("{}/tusk", x);
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return fmt::format("{}/.cache/tusk", h);
  }
  return {};
}

std::uint64_t default_cache_max_bytes() {
  if (const char* mb = std::getenv("TUSK_CACHE_MAX_MB"); mb != nullptr && *mb != '\0') {
    char* end = nullptr;
    const unsigned long long n = std::strtoull(mb, &end, 10);
    if (end != mb && *end == '\0') return static_cast<std::uint64_t>(n) << 20;
  }
  return std::uint64_t{512} << 20;
}

std::string content_hash(std::string_view bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

const char* to_string(CacheLookup lookup) {
  switch (lookup) {
    case CacheLookup::kHit:
      return "hit";
    case CacheLookup::kMissing:
      return "missing";
    case CacheLookup::kCorrupt:
      return "corrupt";
    case CacheLookup::kTruncated:
      return "truncated";
    case CacheLookup::kForeign:
      return "foreign";
    case CacheLookup::kUntrusted:
      return "untrusted";
  }
  return "?";
}

std::string ArtifactCache::path_for(const std::string& key) const {
  return (fs::path(dir_) / fmt::format("{:016x}{}",
                                       static_cast<unsigned long long>(XXH3_64bits(key.data(), key.size())),
                                       extension_))
      .string();
}

std::string ArtifactCache::encode(const std::string& key, const std::string& object,
                                  std::string_view secret) {
  std::string out(kMagic, sizeof(kMagic));
  put<std::uint32_t>(out, kLayoutVersion);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(key.size()));
  put<std::uint64_t>(out, object.size());
  out += mac(secret, key, object);
  out += key;
  out += object;
  return out;
}

CacheLookup ArtifactCache::decode(const std::string& bytes, const std::string& key, std::string& object,
                                  std::string_view secret) {
  if (bytes.size() < kHeaderBytes) return CacheLookup::kTruncated;
  if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return CacheLookup::kCorrupt;
  if (get<std::uint32_t>(bytes, 8) != kLayoutVersion) return CacheLookup::kForeign;
  const std::uint64_t key_bytes = get<std::uint32_t>(bytes, 12);
  const std::uint64_t object_bytes = get<std::uint64_t>(bytes, 16);
  const std::string_view stored_mac(bytes.data() + 24, kMacBytes);
  // Sizes no entry can have are a damaged header; plausible sizes beyond the end, a cut-off file.
  if (key_bytes > kMaxKeyBytes || object_bytes > kMaxObjectBytes) return CacheLookup::kCorrupt;
  const std::uint64_t want = kHeaderBytes + key_bytes + object_bytes;
  if (bytes.size() < want) return CacheLookup::kTruncated;
  if (bytes.size() > want) return CacheLookup::kCorrupt;
  const std::string stored_key = bytes.substr(kHeaderBytes, key_bytes);
  const std::string_view stored_object(bytes.data() + kHeaderBytes + key_bytes, object_bytes);
  // Nothing is believed before the MAC: an entry this user's key did not seal is corrupt or
  // forged, and either way rebuilt. Then the key: another pack's intact entry is foreign.
  if (secret.size() != kSecretBytes || mac(secret, stored_key, stored_object) != stored_mac) {
    return CacheLookup::kCorrupt;
  }
  if (stored_key != key) return CacheLookup::kForeign;
  object.assign(stored_object);
  return CacheLookup::kHit;
}

std::string ArtifactCache::seal(const std::string& key, const std::string& object) const {
  ensure_dir();
  const auto secret = secret_for(dir_, true);
  return encode(key, object, secret ? *secret : std::string());
}

std::string ArtifactCache::ensure_dir() const {
  std::error_code ec;
  const fs::path dir(dir_);
  if (dir.has_parent_path() && dir.parent_path() != dir) fs::create_directories(dir.parent_path(), ec);
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return fmt::format("cannot create {}: {}", dir_, std::strerror(errno));
  }
  return {};
}

CacheLookup ArtifactCache::load(const std::string& key, std::string& object) const {
  switch (check_dir(dir_)) {
    case DirState::kAbsent:
      return CacheLookup::kMissing;
    case DirState::kUntrusted:
      return CacheLookup::kUntrusted;
    case DirState::kTrusted:
      break;
  }
  const std::string path = path_for(key);
  std::string bytes;
  switch (read_trusted(dir_, path, false, kHeaderBytes + kMaxKeyBytes + kMaxObjectBytes, bytes)) {
    case ReadResult::kOk:
      break;
    case ReadResult::kMissing:
    case ReadResult::kError:
      return CacheLookup::kMissing;
    case ReadResult::kUntrusted:
      return CacheLookup::kUntrusted;
    case ReadResult::kTooLarge:
      return CacheLookup::kCorrupt;
  }
  const auto secret = secret_for(dir_, false);
  if (!secret) return CacheLookup::kCorrupt;  // entries without the key that sealed them
  const CacheLookup lookup = decode(bytes, key, object, *secret);
  if (lookup == CacheLookup::kHit) {
    std::error_code ec;  // recency for trim(); an entry that cannot be touched is still good
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
  }
  return lookup;
}

void ArtifactCache::trim() const {
  struct Entry {
    fs::path path;
    fs::file_time_type used;
    std::uint64_t bytes;
  };
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    // Temporaries end otherwise.
    if (p.extension() != ".tjo" && p.extension() != ".tpd" && p.extension() != ".tlx") continue;
    std::error_code e1, e2;
    const auto bytes = it->file_size(e1);
    const auto used = it->last_write_time(e2);
    if (e1 || e2) continue;
    entries.push_back({p, used, bytes});
    total += bytes;
  }
  if (total <= max_bytes_) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  const std::uint64_t target = max_bytes_ / 4 * 3;
  for (const Entry& e : entries) {
    if (total <= target) break;
    if (fs::remove(e.path, ec)) total -= e.bytes;
  }
}

std::string ArtifactCache::store(const std::string& key, const std::string& object, bool trim_after) const {
  if (std::string error = ensure_dir(); !error.empty()) return error;
  if (check_dir(dir_) != DirState::kTrusted) {
    return fmt::format("not using {}: it is not a private directory", dir_);
  }
  const auto secret = secret_for(dir_, true);
  if (!secret) return fmt::format("no usable key {} in {}", kSecretName, dir_);
  const std::string path = path_for(key);
  const std::string tmp =
      fmt::format("{}.tmp.{}.{}", path, ::getpid(), std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::error_code ec;
  fs::remove(tmp, ec);  // a leftover of a crashed writer with this pid and thread
  if (!write_new(tmp, encode(key, object, *secret))) {
    fs::remove(tmp, ec);
    return fmt::format("cannot write {}", tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return fmt::format("cannot rename to {}: {}", path, ec.message());
  }
  if (trim_after) trim();
  return {};
}

}  // namespace tusk::base
