// The JIT's on-disk object cache. An entry is one relocatable object file behind a header:
//
//   magic "TUSKJIT\0" | u32 layout version | u32 key bytes | u64 object bytes | u64 checksum
//   | key | object
//
// The key (pack digest, plan fingerprint, Tusk IR-format version, LLVM version, CPU name and
// features, optimization tier) is stored in full, so an entry written for another key that
// happens to share the file name is "foreign" and never loaded; the checksum (xxh3 over key and
// object) and the exact size catch corrupt and truncated files. Every rejected entry is rebuilt.
#pragma once

#include <optional>
#include <string>

namespace tusk::compiler {

// $TUSK_CACHE_DIR, else $XDG_CACHE_HOME/tusk, else $HOME/.cache/tusk; empty when none is set.
std::string default_jit_cache_dir();

enum class CacheLookup { kHit, kMissing, kCorrupt, kTruncated, kForeign };
const char* to_string(CacheLookup lookup);

class JitCache {
 public:
  explicit JitCache(std::string dir) : dir_(std::move(dir)) {}

  // The file an entry with this key lives in (named by a hash of the key).
  std::string path_for(const std::string& key) const;
  // The object stored under `key`, or why there is none.
  CacheLookup load(const std::string& key, std::string& object) const;
  // Writes atomically (temporary file + rename), so readers never see half an entry. Returns an
  // error message, empty on success; a cache that cannot be written only costs speed.
  std::string store(const std::string& key, const std::string& object) const;

  // The encoded entry (header + key + object), exposed for tests that damage entries.
  static std::string encode(const std::string& key, const std::string& object);
  static CacheLookup decode(const std::string& bytes, const std::string& key, std::string& object);

 private:
  std::string dir_;
};

}  // namespace tusk::compiler
