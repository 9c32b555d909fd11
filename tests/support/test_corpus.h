// Test support (header only): seeded random texts built from pieces and joints, for property
// tests over many scripts, evasions and bad bytes.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace tusk::testing {

inline std::vector<std::string> random_texts(std::uint32_t seed, int count,
                                             std::span<const char* const> pieces, int max_pieces) {
  static const char* const kJoints[] = {" ", " ", " ", "", ".", "-", "\n", "  ", ", "};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> len(1, max_pieces);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<std::size_t> joint(0, std::size(kJoints) - 1);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string s;
    for (int k = len(rng); k > 0; --k) {
      s += pieces[piece(rng)];
      s += kJoints[joint(rng)];
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace tusk::testing
