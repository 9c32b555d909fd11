// The JIT must compute exactly what the reference interpreter computes. Three angles:
//   BackendEquality  every run golden (and the wildlife pack over the sample listings) scanned
//                    on both backends gives byte-identical verdict JSON;
//   Differential     seeded random packs (Tusk source, so the whole front end runs) and random
//                    listings; TUSK_DIFF_CASES sets the number of listings (default 100,000),
//                    TUSK_DIFF_SEED the seed. The first difference is minimized and printed.
//   Tiering          the auto backend gives the same verdicts before, during and after the switch.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "api/inspect.h"
#include "compiler/jit/jit_evaluator.h"
#include "tests/support/golden.h"
#include "tests/support/random_pack.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::testing {
namespace {

namespace fs = std::filesystem;

// Keeps the JIT's object cache of this test run out of the user's ~/.cache.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    dir_ = fs::temp_directory_path() / fmt::format("tusk-{}-{}", tag, ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& path() const { return dir_; }

 private:
  fs::path dir_;
};

std::shared_ptr<const Pack> compile(const std::string& path, Backend backend,
                                    std::string* diagnostics = nullptr) {
  CompileOptions options;
  options.stdlib_dir = fs::path(TUSK_SOURCE_DIR) / "stdlib";
  options.backend = backend;
  CompileResult r = Pack::compile(path, options);
  if (diagnostics != nullptr) *diagnostics = r.rendered;
  return r.pack;
}

// The arrival time of listings without `posted_at` (2026-01-02T12:00:00Z).
constexpr std::int64_t kClock = 1767355200;

std::string scan_all(const std::shared_ptr<const Pack>& pack, const std::vector<std::string>& lines) {
  // Each pass starts from empty account state: scanners of one Pack otherwise share its store,
  // and a second pass over the same listings would see the first one's effects.
  Scanner scanner(pack);
  scanner.set_state(make_memory_state());
  scanner.set_clock([] { return kClock; });
  std::string out;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    Verdict v = scanner.scan(lines[n]);
    if (!v.ok) v.line = n + 1;
    out += to_json(v) + "\n";
  }
  return out;
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class CacheEnv : public ::testing::Environment {
 public:
  void SetUp() override {
    scratch_.emplace("jit-cache");
    ::setenv("TUSK_CACHE_DIR", scratch_->path().c_str(), 1);
  }
  void TearDown() override { scratch_.reset(); }

 private:
  std::optional<ScratchDir> scratch_;
};
const auto* const kCacheEnv = ::testing::AddGlobalTestEnvironment(new CacheEnv);

// ------------------------------------------------------------------ run goldens, both backends

struct EqualityCase {
  std::string pack;
  std::string listings;
};

std::vector<EqualityCase> equality_cases() {
  std::vector<EqualityCase> cases = {{"examples/packs/wildlife", "examples/listings/sample.jsonl"}};
  for (const std::string& input : golden_inputs("run", ".tusk", true)) {
    fs::path listings(input);
    listings = fs::is_directory(fs::path(TUSK_SOURCE_DIR) / input) ? fs::path(input + ".jsonl")
                                                                   : listings.replace_extension(".jsonl");
    cases.push_back({input, listings.string()});
  }
  return cases;
}

void PrintTo(const EqualityCase& c, std::ostream* os) { *os << c.pack << " over " << c.listings; }

class BackendEquality : public ::testing::TestWithParam<EqualityCase> {};

TEST_P(BackendEquality, JitVerdictsAreByteIdentical) {
  enter_source_dir();
  const auto lines = read_lines(GetParam().listings);
  ASSERT_FALSE(lines.empty()) << "no listings in " << GetParam().listings;
  std::string diags;
  auto interp = compile(GetParam().pack, Backend::kInterp, &diags);
  // A pack that does not compile is RunGolden's failure to report; there is nothing to compare.
  if (!interp) GTEST_SKIP() << "the pack does not compile:\n" << diags;
  auto jit = compile(GetParam().pack, Backend::kJit, &diags);
  ASSERT_TRUE(jit) << diags;
  ASSERT_STREQ(tusk::inspect::compiled(*jit).evaluator->name(), "jit");
  ASSERT_STREQ(tusk::inspect::compiled(*interp).evaluator->name(), "interp");
  EXPECT_EQ(scan_all(jit, lines), scan_all(interp, lines));
}

std::string equality_name(const ::testing::TestParamInfo<EqualityCase>& info) {
  std::string name = fs::path(info.param.pack).filename().stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return fmt::format("{}_{}", info.index, name);
}
INSTANTIATE_TEST_SUITE_P(Golden, BackendEquality, ::testing::ValuesIn(equality_cases()), equality_name);

// ------------------------------------------------------------------ random differential

struct Case {
  RandomPack pack;
  RandomListing listing;
};

struct Outcome {
  bool compiled = false;
  std::string interp, jit;
  bool differs() const { return compiled && interp != jit; }
};

Outcome run_case(const Case& c, const fs::path& dir) {
  Outcome o;
  c.pack.write(dir);
  auto interp = compile(dir.string(), Backend::kInterp);
  auto jit = compile(dir.string(), Backend::kJit);
  if (!interp || !jit) return o;
  o.compiled = true;
  o.interp = scan_all(interp, {c.listing.json()});
  o.jit = scan_all(jit, {c.listing.json()});
  return o;
}

// Drops rules, branches, suggestions and listing members while the backends still disagree.
Case minimize(Case c, const fs::path& dir) {
  for (bool shrunk = true; shrunk;) {
    shrunk = false;
    auto try_without = [&](auto& parts, std::size_t i) {
      Case smaller = c;
      auto& v = parts(smaller);
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      if (run_case(smaller, dir).differs()) {
        c = std::move(smaller);
        return true;
      }
      return false;
    };
    auto rules = [](Case & x) -> auto& { return x.pack.rules; };
    auto branches = [](Case & x) -> auto& { return x.pack.branches; };
    auto suggestions = [](Case & x) -> auto& { return x.pack.suggestions; };
    auto members = [](Case & x) -> auto& { return x.listing.members; };
    for (std::size_t i = c.pack.rules.size(); i-- > 0;) shrunk |= try_without(rules, i);
    for (std::size_t i = c.pack.branches.size(); i-- > 0;) shrunk |= try_without(branches, i);
    for (std::size_t i = c.pack.suggestions.size(); i-- > 0;) shrunk |= try_without(suggestions, i);
    for (std::size_t i = c.listing.members.size(); i-- > 0;) shrunk |= try_without(members, i);
  }
  return c;
}

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(Differential, RandomPacksAndListingsAgree) {
  const std::uint64_t cases = env_number("TUSK_DIFF_CASES", 100000);
  const std::uint64_t seed = env_number("TUSK_DIFF_SEED", 20250101);
  constexpr std::uint64_t kListingsPerPack = 250;
  ScratchDir scratch("diff");
  SeededChoices choices(seed);
  std::uint64_t done = 0, packs = 0, rejected = 0, fired = 0, blocked = 0;
  std::string first_rejection;
  while (done < cases) {
    RandomPackOptions options;
    options.rules = 1 + static_cast<int>(choices.below(12));
    const RandomPack pack = random_pack(choices, options);
    const fs::path dir = pack.write(scratch.path() / fmt::format("p{}", packs % 4));
    ++packs;
    std::string diags;
    auto interp = compile(dir.string(), Backend::kInterp, &diags);
    auto jit = interp ? compile(dir.string(), Backend::kJit, &diags) : nullptr;
    if (!interp || !jit) {
      if (first_rejection.empty()) first_rejection = pack.source() + diags;
      ++rejected;
      continue;
    }
    ASSERT_STREQ(tusk::inspect::compiled(*jit).evaluator->name(), "jit");
    // Account state builds up over a pack's listings: each backend has its pack's own store,
    // fed the same listings in the same order, and one fixed clock.
    Scanner si(interp), sj(jit);
    si.set_clock([] { return kClock; });
    sj.set_clock([] { return kClock; });
    const std::uint64_t n = std::min(kListingsPerPack, cases - done);
    for (std::uint64_t k = 0; k < n; ++k, ++done) {
      RandomListing listing = random_listing(choices);
      const std::string json = listing.json();
      const std::string a = to_json(si.scan(json));
      const std::string b = to_json(sj.scan(json));
      fired += a.find("\"fired\":[]") == std::string::npos;
      blocked += a.find("\"action\":\"block\"") != std::string::npos;
      if (a != b) {
        ADD_FAILURE() << fmt::format(
            "as first seen:\n--- main.tusk\n{}--- listing\n{}\n--- interp\n{}\n--- jit\n{}\n", pack.source(),
            json, a, b);
        const Case small = minimize({pack, listing}, scratch.path() / "min");
        const Outcome o = run_case(small, scratch.path() / "min");
        FAIL() << fmt::format(
            "backends differ (seed {}, pack {}, listing {}); minimized case:\n--- pack.yaml\n{}--- "
            "main.tusk\n{}"
            "--- listing\n{}\n--- interp\n{}--- jit\n{}",
            seed, packs, k, small.pack.manifest, small.pack.source(), small.listing.json(), o.interp, o.jit);
      }
    }
  }
  // The generator must produce packs the checker accepts, and verdicts that are not all empty,
  // or this test compares nothing.
  EXPECT_LE(rejected * 10, packs) << rejected << " of " << packs << " packs rejected; first:\n"
                                  << first_rejection;
  EXPECT_GT(fired * 4, done) << "too few listings fire any rule";
  EXPECT_GT(blocked * 50, done) << "too few listings are blocked";
  fmt::print("differential: {} listings over {} packs ({} rejected), {} with fired rules, {} blocked\n", done,
             packs, rejected, fired, blocked);
}

// ------------------------------------------------------------------ tiering

TEST(Tiering, AutoBackendSwitchesWithoutChangingVerdicts) {
  enter_source_dir();
  ScratchDir cache("tier-cache");
  ::setenv("TUSK_CACHE_DIR", cache.path().c_str(), 1);
  const auto lines = read_lines("examples/listings/sample.jsonl");
  auto reference = compile("examples/packs/wildlife", Backend::kInterp);
  ASSERT_TRUE(reference);
  const std::string expected = scan_all(reference, lines);

  auto pack = compile("examples/packs/wildlife", Backend::kAuto);
  ASSERT_TRUE(pack);
  const auto* tiered =
      dynamic_cast<const compiler::jit::TieredEvaluator*>(tusk::inspect::compiled(*pack).evaluator.get());
  ASSERT_NE(tiered, nullptr);
  // Several scanner threads share the pack while the background compile finishes and the
  // evaluator switches under them.
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < outputs.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const std::string out = scan_all(pack, lines);
        if (out != expected) {
          outputs[t] = out;
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& out : outputs) EXPECT_EQ(out, "") << "a scanner thread saw different verdicts";
  ASSERT_TRUE(tiered->wait_for_jit()) << tiered->jit_error();
  EXPECT_STREQ(tiered->name(), "jit");
  EXPECT_EQ(scan_all(pack, lines), expected);

  // A second compile of the same pack finds the object in the cache and starts on native code.
  auto again = compile("examples/packs/wildlife", Backend::kAuto);
  ASSERT_TRUE(again);
  EXPECT_STREQ(tusk::inspect::compiled(*again).evaluator->name(), "jit");
  const auto* cached =
      dynamic_cast<const compiler::jit::TieredEvaluator*>(tusk::inspect::compiled(*again).evaluator.get());
  ASSERT_NE(cached, nullptr);
  ASSERT_NE(cached->jit(), nullptr);
  EXPECT_TRUE(cached->jit()->stats().from_cache);
  EXPECT_EQ(scan_all(again, lines), expected);
}

}  // namespace
}  // namespace tusk::testing
