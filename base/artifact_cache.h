// The on-disk cache of compiled artifacts: JIT object code (compiler/jit_engine.cpp, ".tjo") and
// Vectorscan databases (runtime/pattern_cache.cpp, ".tpd"). An entry is the artifact behind a
// header:
//
//   magic "TUSKCACH" | u32 layout version | u32 key bytes | u64 object bytes | u64 checksum
//   | key | object
//
// The key names everything the artifact depends on (pack digest, library versions, CPU
// features, ...; each user writes its own) and is stored in full, so an entry written for
// another key that happens to share the file name is "foreign" and never loaded; the checksum
// (xxh3 over key and object) and the exact size catch corrupt and truncated files. Every
// rejected entry is rebuilt by the caller and overwritten.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tusk::base {

// $TUSK_CACHE_DIR, else $XDG_CACHE_HOME/tusk, else $HOME/.cache/tusk; empty when none is set.
std::string default_cache_dir();

// How large the cache directory may grow: $TUSK_CACHE_MAX_MB megabytes, else 512 MiB. Each edit
// of a pack adds entries (the wildlife pack's databases are 1.4 MB), so without a bound a policy
// writer's cache would only grow.
std::uint64_t default_cache_max_bytes();

// 128-bit xxh3 of `bytes` as 32 hex digits: names large inputs (a pass's patterns) in a key.
std::string content_hash(std::string_view bytes);

enum class CacheLookup { kHit, kMissing, kCorrupt, kTruncated, kForeign };
const char* to_string(CacheLookup lookup);

class ArtifactCache {
 public:
  // `extension` (".tjo", ".tpd") tells the kinds of entry apart for people listing the directory.
  ArtifactCache(std::string dir, std::string extension, std::uint64_t max_bytes = default_cache_max_bytes())
      : dir_(std::move(dir)), extension_(std::move(extension)), max_bytes_(max_bytes) {}

  // The file an entry with this key lives in (named by a hash of the key).
  std::string path_for(const std::string& key) const;
  // The object stored under `key`, or why there is none. A hit marks the entry as recently used.
  CacheLookup load(const std::string& key, std::string& object) const;
  // Writes atomically (temporary file + rename), so readers never see half an entry, then trims
  // the directory. Returns an error message, empty on success; a cache that cannot be written
  // only costs speed.
  std::string store(const std::string& key, const std::string& object) const;
  // When the entries of every kind (.tjo, .tpd) in the directory hold more than max_bytes, removes
  // the least recently used ones until they hold at most three quarters of it. Other files are
  // never touched. A reader that loses a race with a removal sees a missing entry and rebuilds.
  void trim() const;

  // The encoded entry (header + key + object), exposed for tests that damage entries.
  static std::string encode(const std::string& key, const std::string& object);
  static CacheLookup decode(const std::string& bytes, const std::string& key, std::string& object);

 private:
  std::string dir_;
  std::string extension_;
  std::uint64_t max_bytes_;
};

}  // namespace tusk::base
