// The on-disk cache of Vectorscan databases: hits give the same matches as a fresh compile,
// and every damaged or foreign entry is rebuilt, never loaded.
#include "runtime/pattern_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "api/inspect.h"
#include "base/artifact_cache.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::runtime {
namespace {

namespace fs = std::filesystem;

class PatternCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tusk-pattern-cache-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  PatternCacheOptions cache() const { return {true, dir_.string()}; }

  static std::vector<PatternSpec> specs() {
    std::vector<PatternSpec> out;
    const auto add = [&](PatternKind kind, std::string text, bool prefix = false, int edits = 0,
                         std::string flags = "") {
      PatternSpec s;
      s.id = static_cast<std::uint32_t>(out.size()) + 10;
      s.kind = kind;
      s.text = std::move(text);
      s.prefix = prefix;
      s.edit_distance = edits;
      s.flags = std::move(flags);
      out.push_back(std::move(s));
    };
    add(PatternKind::kTerm, "ivory");
    add(PatternKind::kTerm, "tusk", true);
    add(PatternKind::kTerm, "pangolin", false, 1);
    add(PatternKind::kTerm, "象牙");
    add(PatternKind::kRegex, "\\d+ ?kg", false, 0, "i");
    return out;
  }

  static std::vector<Match> matches(const PatternDb& db) {
    PatternScratch scratch(db);
    std::vector<Match> out;
    scan(db, scratch, "old ivory tusks, pangolon scales, 象牙手镯 2 kg", out);
    return out;
  }

  // Compiles through the cache and checks what the cache did and that the matches are right.
  void expect_compile(const std::string& lookup) {
    std::string error;
    std::uint32_t bad = 0;
    PatternCacheStatus status;
    auto db = compile_cached(specs(), {}, cache(), &error, &bad, &status);
    ASSERT_NE(db, nullptr) << error;
    EXPECT_EQ(status.lookup, lookup);
    path_ = status.path;
    EXPECT_EQ(matches(*db), fresh_);
  }

  std::string read_entry() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  void write_entry(const std::string& bytes) const {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  }

  // Stores an entry, damages it, and checks it is rejected for `why`, rebuilt, then a hit.
  void damage_and_rebuild(const std::function<void(std::string&)>& damage, const std::string& why) {
    expect_compile("missing+stored");
    std::string bytes = read_entry();
    damage(bytes);
    write_entry(bytes);
    expect_compile(why + "+stored");
    expect_compile("hit");
  }

  void set_up_fresh() {
    std::string error;
    std::uint32_t bad = 0;
    auto db = PatternDb::compile(specs(), {}, &error, &bad);
    ASSERT_NE(db, nullptr) << error;
    fresh_ = matches(*db);
    ASSERT_EQ(fresh_.size(), 5u);  // ivory, tusks, pangolon (1 edit), 象牙, 2 kg
  }

  fs::path dir_;
  std::string path_;
  std::vector<Match> fresh_;
};

TEST_F(PatternCacheTest, SecondCompileIsAHitWithTheSameMatches) {
  set_up_fresh();
  expect_compile("missing+stored");
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_EQ(fs::path(path_).extension(), ".tpd");
  expect_compile("hit");
}

TEST_F(PatternCacheTest, OffWritesNothing) {
  set_up_fresh();
  std::string error;
  std::uint32_t bad = 0;
  PatternCacheStatus status;
  auto db = compile_cached(specs(), {}, {false, dir_.string()}, &error, &bad, &status);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(status.lookup, "off");
  EXPECT_EQ(matches(*db), fresh_);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(PatternCacheTest, UnwritableDirectoryOnlyCostsTime) {
  set_up_fresh();
  // A directory that cannot be created, even by root: its parent is a regular file.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  const PatternCacheOptions cache{true, (dir_ / "file" / "cache").string()};
  for (int i = 0; i < 2; ++i) {
    std::string error;
    std::uint32_t bad = 0;
    PatternCacheStatus status;
    auto db = compile_cached(specs(), {}, cache, &error, &bad, &status);
    ASSERT_NE(db, nullptr) << error;
    EXPECT_EQ(status.lookup, "missing");  // never "+stored", and no error
    EXPECT_EQ(matches(*db), fresh_);
  }
}

TEST_F(PatternCacheTest, CorruptEntryIsRebuilt) {
  set_up_fresh();
  damage_and_rebuild([](std::string& b) { b[b.size() - 100] ^= 0x5a; }, "corrupt");
}

TEST_F(PatternCacheTest, TruncatedEntryIsRebuilt) {
  set_up_fresh();
  damage_and_rebuild([](std::string& b) { b.resize(b.size() / 2); }, "truncated");
}

TEST_F(PatternCacheTest, GarbageEntryIsRebuilt) {
  set_up_fresh();
  damage_and_rebuild(
      [](std::string& b) { b = "not a cache entry at all: just some text, long enough for a header"; },
      "corrupt");
}

TEST_F(PatternCacheTest, ForeignEntryIsRebuilt) {
  set_up_fresh();
  // An intact entry of another key under this file name: another machine's CPU features.
  damage_and_rebuild(
      [this](std::string& b) {
        std::string key = pattern_cache_key(specs(), {});
        key.replace(key.find("cpu_features="), 13, "cpu_features=0xffff");
        b = base::ArtifactCache(dir_.string(), ".tpd").seal(key, "TUSKPDB2...");
      },
      "foreign");
}

TEST_F(PatternCacheTest, IntactEntryVectorscanRefusesIsRebuilt) {
  set_up_fresh();
  // Right key and checksum, but bytes that are not a database (as if Vectorscan changed under
  // the same version string): deserialization refuses them.
  damage_and_rebuild(
      [this](std::string& b) {
        b = base::ArtifactCache(dir_.string(), ".tpd").seal(pattern_cache_key(specs(), {}), "TUSKPDB2junk");
      },
      "unloadable");
}

TEST(PatternCacheKey, NamesEverythingTheDatabaseDependsOn) {
  const auto base = [] {
    std::vector<PatternSpec> s(2);
    s[0].text = "ivory";
    s[1].id = 1;
    s[1].text = "tusk";
    return s;
  };
  const std::string key = pattern_cache_key(base(), {});
  EXPECT_NE(key.find("vectorscan="), std::string::npos);
  EXPECT_NE(key.find("cpu_features="), std::string::npos);
  EXPECT_NE(key.find("tusk="), std::string::npos);
  EXPECT_EQ(pattern_cache_key(base(), {}), key);
  PatternDbOptions generic;
  generic.target = PatternDbOptions::Target::kGeneric;
  EXPECT_NE(pattern_cache_key(base(), generic), key);
  const std::vector<std::function<void(std::vector<PatternSpec>&)>> changes = {
      [](auto& s) { s[0].text = "ivorY"; },
      [](auto& s) { s[0].prefix = true; },
      [](auto& s) { s[0].edit_distance = 1; },
      [](auto& s) { s[0].kind = PatternKind::kRegex; },
      [](auto& s) { s[1].flags = "i"; },
      [](auto& s) { s[1].id = 7; },
      [](auto& s) { s.pop_back(); },
      // Length prefixes keep texts from running into each other.
      [](auto& s) {
        s[0].text = "ivoryt";
        s[1].text = "usk";
      },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto s = base();
    changes[i](s);
    EXPECT_NE(pattern_cache_key(s, {}), key) << "change " << i;
  }
}

// An edit that leaves the patterns alone (here a score) makes a new pack digest but reuses the
// databases; an edit of a term does not.
TEST_F(PatternCacheTest, PackEditThatKeepsThePatternsReusesTheDatabases) {
  CompileOptions options;
  options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  options.backend = Backend::kInterp;
  options.cache_dir = dir_.string();
  const auto compile = [&](const std::string& score, const std::string& term) {
    const std::string source = "pack p version \"1\"\nlexicon w { \"" + term +
                               "\", \"tusk*\" }\n"
                               "rule r { when text mentions w  score " +
                               score +
                               " }\n"
                               "decide { review when r  allow otherwise }\n";
    auto result = Pack::compile_sources({{"main.tusk", source}}, "main.tusk", options);
    EXPECT_TRUE(result.pack) << result.rendered;
    return result.pack;
  };
  const auto lookups = [](const Pack& pack) {
    std::string out;
    for (const auto& pass : tusk::inspect::compiled(pack).passes) out += pass.cache + " ";
    return out;
  };
  auto a = compile("10", "ivory");
  auto b = compile("20", "ivory");
  auto c = compile("20", "ivories");
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(a->info().digest, b->info().digest);
  EXPECT_EQ(lookups(*a), "missing+stored ");
  EXPECT_EQ(lookups(*b), "hit ");
  EXPECT_EQ(lookups(*c), "missing+stored ");
}

// A whole pack: the second compile loads every pass's database from the cache, a damaged cache
// is rebuilt, and the verdicts never change.
TEST_F(PatternCacheTest, PackLoadsItsDatabasesFromTheCache) {
  const std::string root = TUSK_SOURCE_DIR;
  CompileOptions options;
  options.stdlib_dir = root + "/stdlib";
  options.backend = Backend::kInterp;
  options.cache_dir = dir_.string();
  std::vector<std::string> listings;
  {
    std::ifstream in(root + "/examples/listings/sample.jsonl");
    for (std::string line; std::getline(in, line);) listings.push_back(line);
  }
  ASSERT_GT(listings.size(), 40u);
  const auto verdicts = [&](const std::shared_ptr<const Pack>& pack) {
    Scanner scanner(pack);
    std::string out;
    for (const auto& line : listings) out += to_json(scanner.scan(line)) + "\n";
    return out;
  };
  const auto lookups = [](const Pack& pack) {
    std::string out;
    for (const auto& pass : tusk::inspect::compiled(pack).passes) out += pass.cache + " ";
    return out;
  };
  const auto compile = [&] {
    auto result = Pack::compile(root + "/examples/packs/wildlife", options);
    EXPECT_TRUE(result.pack) << result.rendered;
    return result.pack;
  };
  CompileOptions uncached = options;
  uncached.use_cache = false;
  auto reference = Pack::compile(root + "/examples/packs/wildlife", uncached).pack;
  ASSERT_TRUE(reference);
  const std::size_t passes = tusk::inspect::compiled(*reference).passes.size();
  ASSERT_GE(passes, 2u);
  const auto repeat = [passes](const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < passes; ++i) out += s + " ";
    return out;
  };
  EXPECT_EQ(lookups(*reference), repeat("off"));
  const std::string expected = verdicts(reference);

  auto first = compile();
  ASSERT_TRUE(first);
  EXPECT_EQ(lookups(*first), repeat("missing+stored"));
  auto second = compile();
  ASSERT_TRUE(second);
  EXPECT_EQ(lookups(*second), repeat("hit"));
  EXPECT_EQ(verdicts(second), expected);

  // Damage every pattern database entry; the JIT's entries are not in play (interpreter).
  int damaged = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().extension() != ".tpd") continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(entry.path()) / 2));
    f.put('\x5a');
    ++damaged;
  }
  EXPECT_EQ(damaged, static_cast<int>(passes));
  auto third = compile();
  ASSERT_TRUE(third);
  EXPECT_EQ(lookups(*third), repeat("corrupt+stored"));
  EXPECT_EQ(verdicts(third), expected);
}

}  // namespace
}  // namespace tusk::runtime
