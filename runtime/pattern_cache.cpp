#include "runtime/pattern_cache.h"

#include <fmt/format.h>

#include "base/artifact_cache.h"
#include "base/version.h"

namespace tusk::runtime {
namespace {

constexpr std::string_view kExtension = ".tpd";

// Every field of every spec, each length-prefixed so that no two spec lists encode alike.
std::string encode_specs(const std::vector<PatternSpec>& specs) {
  std::string out;
  const auto field = [&out](std::string_view s) { out += fmt::format("{}:{};", s.size(), s); };
  for (const PatternSpec& spec : specs) {
    out += fmt::format("{},{},{},{},", spec.id, static_cast<int>(spec.kind), spec.prefix ? 1 : 0,
                       spec.edit_distance);
    field(spec.text);
    field(spec.flags);
  }
  return out;
}

}  // namespace

std::string pattern_cache_key(const std::vector<PatternSpec>& specs, const PatternDbOptions& options) {
  return fmt::format("tusk-patterns key=2\ntusk={}\n{}\npatterns={} {}\n", base::version(),
                     pattern_platform(options), specs.size(), base::content_hash(encode_specs(specs)));
}

std::unique_ptr<PatternDb> compile_cached(const std::vector<PatternSpec>& specs,
                                          const PatternDbOptions& options, const PatternCacheOptions& cache,
                                          std::string* error, std::uint32_t* bad_pattern,
                                          PatternCacheStatus* status) {
  PatternCacheStatus ignored;
  if (status == nullptr) status = &ignored;
  const std::string dir = cache.dir.empty() ? base::default_cache_dir() : cache.dir;
  if (!cache.use_cache || dir.empty()) {
    status->lookup = "off";
    return PatternDb::compile(specs, options, error, bad_pattern);
  }
  const base::ArtifactCache store(dir, std::string(kExtension));
  const std::string key = pattern_cache_key(specs, options);
  status->path = store.path_for(key);
  std::string bytes;
  const base::CacheLookup lookup = store.load(key, bytes);
  status->lookup = base::to_string(lookup);
  if (lookup == base::CacheLookup::kHit) {
    std::string why;
    if (auto db = PatternDb::deserialize(bytes, &why)) return db;
    // The checksum held, so the bytes are what was written, yet they do not load: a Vectorscan
    // that changed under the same version string, or a CPU that lost a feature.
    status->lookup = "unloadable";
  }
  auto db = PatternDb::compile(specs, options, error, bad_pattern);
  if (db) {
    const std::string serialized = db->serialize();
    if (!serialized.empty() && store.store(key, serialized).empty()) status->lookup += "+stored";
  }
  return db;
}

}  // namespace tusk::runtime
