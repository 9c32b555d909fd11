// Compiled Vectorscan databases cached on disk, next to the JIT's object code
// (compiler/artifact_cache.h). Compiling the databases is most of the time of loading a large
// pack after the front end; a cached one deserializes in milliseconds.
//
// Key: the layout of this key, a 128-bit hash of the pass's pattern specs as compiled (term
// texts after normalization, so an ICU or normalizer change is a new key), the Tusk version, and
// pattern_platform(): Vectorscan version, serialized layout, target, tuning family and CPU
// features. Not the pack digest: a database depends only on its patterns, so an edit of a pack
// that leaves them alone (a score, a rule, a test) reuses it, and packs sharing a pass share it.
// The JIT's objects, which depend on the whole plan, are keyed by the digest. An entry that is missing,
// corrupt, truncated, foreign (another key under the same file name) or that Vectorscan refuses to load is
// compiled afresh and overwritten; a cache that cannot be written only costs time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/patterns.h"

namespace tusk::runtime {

struct PatternCacheOptions {
  bool use_cache = true;
  std::string dir;  // empty: base::default_cache_dir()
};

// What the cache did for one database: "off", "hit", "missing", "corrupt", "truncated",
// "foreign", "unloadable", with "+stored" when a fresh database was written back.
struct PatternCacheStatus {
  std::string lookup = "off";
  std::string path;
};

std::string pattern_cache_key(const std::vector<PatternSpec>& specs, const PatternDbOptions& options);

// PatternDb::compile() behind the cache; same contract for `error` and `bad_pattern`.
std::unique_ptr<PatternDb> compile_cached(const std::vector<PatternSpec>& specs,
                                          const PatternDbOptions& options, const PatternCacheOptions& cache,
                                          std::string* error, std::uint32_t* bad_pattern,
                                          PatternCacheStatus* status = nullptr);

}  // namespace tusk::runtime
