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

#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

namespace tusk::base {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'T', 'U', 'S', 'K', 'C', 'A', 'C', 'H'};
constexpr std::uint32_t kLayoutVersion = 1;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8;

std::uint64_t checksum(const std::string& key, const std::string& object) {
  std::string all = key;
  all += object;
  return XXH3_64bits(all.data(), all.size());
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
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') return fmt::format("{}/tusk", x);
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') return fmt::format("{}/.cache/tusk", h);
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
    case CacheLookup::kHit: return "hit";
    case CacheLookup::kMissing: return "missing";
    case CacheLookup::kCorrupt: return "corrupt";
    case CacheLookup::kTruncated: return "truncated";
    case CacheLookup::kForeign: return "foreign";
  }
  return "?";
}

std::string ArtifactCache::path_for(const std::string& key) const {
  return (fs::path(dir_) / fmt::format("{:016x}{}", static_cast<unsigned long long>(XXH3_64bits(key.data(), key.size())), extension_)).string();
}

std::string ArtifactCache::encode(const std::string& key, const std::string& object) {
  std::string out(kMagic, sizeof(kMagic));
  put<std::uint32_t>(out, kLayoutVersion);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(key.size()));
  put<std::uint64_t>(out, object.size());
  put<std::uint64_t>(out, checksum(key, object));
  out += key;
  out += object;
  return out;
}

CacheLookup ArtifactCache::decode(const std::string& bytes, const std::string& key, std::string& object) {
  if (bytes.size() < kHeaderBytes) return CacheLookup::kTruncated;
  if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return CacheLookup::kCorrupt;
  if (get<std::uint32_t>(bytes, 8) != kLayoutVersion) return CacheLookup::kForeign;
  const std::uint64_t key_bytes = get<std::uint32_t>(bytes, 12);
  const std::uint64_t object_bytes = get<std::uint64_t>(bytes, 16);
  const std::uint64_t sum = get<std::uint64_t>(bytes, 24);
  // Sizes no entry can have are a damaged header; plausible sizes beyond the end, a cut-off file.
  if (key_bytes > (std::uint64_t{1} << 20) || object_bytes > (std::uint64_t{1} << 34)) return CacheLookup::kCorrupt;
  const std::uint64_t want = kHeaderBytes + key_bytes + object_bytes;
  if (bytes.size() < want) return CacheLookup::kTruncated;
  if (bytes.size() > want) return CacheLookup::kCorrupt;
  // The key before the checksum: another pack's intact entry is foreign, not corrupt.
  if (key_bytes != key.size() || bytes.compare(kHeaderBytes, key_bytes, key) != 0) {
    std::string stored_object = bytes.substr(kHeaderBytes + key_bytes);
    return checksum(bytes.substr(kHeaderBytes, key_bytes), stored_object) == sum ? CacheLookup::kForeign
                                                                                  : CacheLookup::kCorrupt;
  }
  std::string stored = bytes.substr(kHeaderBytes + key_bytes);
  if (checksum(key, stored) != sum) return CacheLookup::kCorrupt;
  object = std::move(stored);
  return CacheLookup::kHit;
}

CacheLookup ArtifactCache::load(const std::string& key, std::string& object) const {
  const std::string path = path_for(key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return CacheLookup::kMissing;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const CacheLookup lookup = decode(bytes.str(), key, object);
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
    if (p.extension() != ".tjo" && p.extension() != ".tpd") continue;  // temporaries end otherwise
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

std::string ArtifactCache::store(const std::string& key, const std::string& object) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return fmt::format("cannot create {}: {}", dir_, ec.message());
  const std::string path = path_for(key);
  const std::string tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(),
                                      std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const std::string bytes = encode(key, object);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      fs::remove(tmp, ec);
      return fmt::format("cannot write {}", tmp);
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return fmt::format("cannot rename to {}: {}", path, ec.message());
  }
  trim();
  return {};
}

}  // namespace tusk::base
