// Seeded generator of well-typed Tusk packs (source text, so every case exercises the whole
// front end) and of listings for them, for the differential test, the backend fuzzer and the
// JIT benchmarks. The pack is kept as parts (rules, decide, suggestions) so that a failing case
// can be minimized by dropping parts while the difference persists.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace tusk::testing {

// Where choices come from: a seeded PRNG in tests, the fuzzer's bytes in tests/fuzz.
class Choices {
 public:
  virtual ~Choices() = default;
  // A number in [0, n); n > 0.
  virtual std::uint64_t below(std::uint64_t n) = 0;
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

class SeededChoices final : public Choices {
 public:
  explicit SeededChoices(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t below(std::uint64_t n) override {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

struct RandomPackOptions {
  int rules = 8;       // at most this many rules (at least 1)
  int max_depth = 3;   // nesting of and/or/not and arithmetic
  bool decide = true;  // with a decide block (else every listing is allowed)
  int suggestions = 2;
  int accounts_percent = 40;  // chance of entities, counters, labels and `decide account`
};

struct RandomPack {
  std::string manifest;                                    // pack.yaml
  std::vector<std::string> decls;                          // lexicons and regexes
  std::vector<std::pair<std::string, std::string>> rules;  // name, full declaration
  std::vector<std::string> branches;                       // decide branches, in order
  std::vector<std::string> suggestions;                    // full `suggest` declarations
  std::vector<std::string> account_branches;               // `decide account of seller` branches

  std::string source() const;  // main.tusk
  // Writes pack.yaml and main.tusk into `dir` (created); returns the directory.
  std::filesystem::path write(const std::filesystem::path& dir) const;
};

RandomPack random_pack(Choices& choices, const RandomPackOptions& options = {});

// A listing as JSON members so that a minimizer can drop them one by one.
struct RandomListing {
  std::vector<std::pair<std::string, std::string>> members;  // key, JSON value
  std::string json() const;
};

RandomListing random_listing(Choices& choices);

}  // namespace tusk::testing
