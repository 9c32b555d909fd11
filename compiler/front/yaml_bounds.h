// YAML aliases are references, so a small file can name a huge document: 10,000 aliases of one
// 12 KB string make 120 MB of terms from 62 KB of YAML, and aliases of aliases grow
// exponentially ("billion laughs"). Pack files (pack.yaml, lexicon files) are checked here,
// by an event pass that expands nothing, before yaml-cpp's tree is walked.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tusk::compiler::front {

// At most this many aliases in one file...
inline constexpr std::uint64_t kMaxYamlAliases = 1000;
// ...adding at most this many bytes (scalars' bytes, plus one per node) once expanded.
inline constexpr std::uint64_t kMaxYamlAliasBytes = std::uint64_t{4} << 20;

struct YamlBoundsError {
  std::string message;
  YAML::Mark mark;  // the alias that crossed a bound
};

// Nothing when `text`'s aliases stay within the bounds (or it is not valid YAML: the caller's
// own parse reports that); else why not and where.
std::optional<YamlBoundsError> check_yaml_aliases(const std::string& text);

}  // namespace tusk::compiler::front
