// The on-disk cache of compiled artifacts: JIT object code (compiler/jit_engine.cpp, ".tjo"),
// Vectorscan databases (runtime/pattern_cache.cpp, ".tpd") and parsed lexicon files
// (compiler/front/lexicon_cache.cpp, ".tlx"). An entry is the artifact behind a
// header:
//
//   magic "TUSKCACH" | u32 layout version | u32 key bytes | u64 object bytes | 32-byte MAC
//   | key | object
//
// The key names everything the artifact depends on (pack digest, library versions, CPU
// features, ...; each user writes its own) and is stored in full, so an entry written for
// another key that happens to share the file name is "foreign" and never loaded. The MAC is an
// HMAC-SHA-256 of key and object under a per-user secret kept in the directory (`cache.key`,
// 32 random bytes, mode 0600): an entry that it does not verify (damaged, or written by anyone
// without the secret) is "corrupt", and nothing of it is used. The exact size catches truncated
// files. Every rejected entry is rebuilt by the caller and overwritten.
//
// Like ssh with ~/.ssh, the cache is used only when it is private: the directory is created
// 0700; a directory, entry or key that does not belong to the current user, or that group or
// others can write (the key: read), is "untrusted", never read, and said once per directory and
// process on standard error. Entries are written 0600 with O_EXCL and renamed into place; they
// are opened with O_NOFOLLOW and O_NONBLOCK, and only regular files of a bounded size are read,
// so a symlink, a FIFO or a device in the directory is refused, not followed, waited on or
// read without end.
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

enum class CacheLookup { kHit, kMissing, kCorrupt, kTruncated, kForeign, kUntrusted };
const char* to_string(CacheLookup lookup);

class ArtifactCache {
 public:
  // `extension` (".tjo", ".tpd", ".tlx") tells the kinds of entry apart for people listing the directory.
  ArtifactCache(std::string dir, std::string extension, std::uint64_t max_bytes = default_cache_max_bytes())
      : dir_(std::move(dir)), extension_(std::move(extension)), max_bytes_(max_bytes) {}

  // The file an entry with this key lives in (named by a hash of the key).
  std::string path_for(const std::string& key) const;
  // The object stored under `key`, or why there is none. A hit marks the entry as recently used.
  CacheLookup load(const std::string& key, std::string& object) const;
  // Writes atomically (temporary file + rename), so readers never see half an entry, then trims
  // the directory unless `trim_after` is false (a writer of many small entries at once, which
  // trims once itself: each trim lists and stats the whole directory). Returns an error message,
  // empty on success; a cache that cannot be written only costs speed.
  std::string store(const std::string& key, const std::string& object, bool trim_after = true) const;
  // When the entries of every kind (.tjo, .tpd, .tlx) in the directory hold more than max_bytes, removes
  // the least recently used ones until they hold at most three quarters of it. Other files are
  // never touched. A reader that loses a race with a removal sees a missing entry and rebuilds.
  void trim() const;

  // The encoded entry (header + key + object) sealed with `secret`, and its check; exposed for
  // tests that damage entries.
  static std::string encode(const std::string& key, const std::string& object, std::string_view secret);
  static CacheLookup decode(const std::string& bytes, const std::string& key, std::string& object,
                            std::string_view secret);
  // encode() with this directory's secret (created if need be): an entry as store() writes it.
  std::string seal(const std::string& key, const std::string& object) const;

 private:
  // Creates the directory (0700; its parents as usual) if it does not exist; an error message.
  std::string ensure_dir() const;

  std::string dir_;
  std::string extension_;
  std::uint64_t max_bytes_;
};

}  // namespace tusk::base
