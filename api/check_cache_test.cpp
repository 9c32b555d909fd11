// Parsed lexicon files and regex checks kept in the artifact cache (compiler/front/check_cache.h):
// a changed lexicon file is parsed again and its new terms match; a damaged or forged entry is
// rejected and rewritten, never believed.
#include "compiler/front/check_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/artifact_cache.h"
#include "compiler/front/checker.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::compiler::front {
namespace {

namespace fs = std::filesystem;

class CheckCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    base_ = fs::temp_directory_path() / ("tusk-check-cache-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(base_);
    fs::create_directories(pack_dir());
    write(pack_dir() / "main.tusk",
          "pack p version \"1\"\n"
          "lexicon goods = load(\"goods.yaml\")\n"
          "regex weight = /\\d+ ?kg/i\n"
          "rule r { when text mentions goods  score 10 }\n"
          "rule heavy { when text matches weight  score 1 }\n"
          "decide { review when r  allow otherwise }\n");
    forget_parsed_lexicons();
  }
  void TearDown() override {
    fs::remove_all(base_);
    forget_parsed_lexicons();
  }

  fs::path pack_dir() const { return base_ / "pack"; }
  fs::path cache_dir() const { return base_ / "cache"; }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  void write_lexicon(const std::string& terms) const { write(pack_dir() / "goods.yaml", "terms:\n" + terms); }

  std::shared_ptr<const Pack> compile() const {
    CompileOptions options;
    options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    options.backend = Backend::kInterp;
    options.cache_dir = cache_dir().string();
    auto result = Pack::compile((pack_dir() / "main.tusk").string(), options);
    EXPECT_TRUE(result.pack) << result.rendered;
    return result.pack;
  }
  static Action decision(const std::shared_ptr<const Pack>& pack, const std::string& title) {
    Scanner scanner(pack);
    const Verdict v = scanner.scan("{\"id\": \"1\", \"title\": \"" + title + "\"}");
    EXPECT_TRUE(v.ok) << v.error;
    return v.action;
  }
  // The entry of the lexicon file as it is now.
  fs::path lexicon_entry() const {
    return base::ArtifactCache(cache_dir().string(), ".tlx")
        .path_for(lexicon_cache_key(read(pack_dir() / "goods.yaml")));
  }

  fs::path base_;
};

TEST_F(CheckCacheTest, ChangedLexiconFileIsParsedAgainAndItsNewTermMatches) {
  write_lexicon("  - ivory\n");
  auto first = compile();
  ASSERT_TRUE(first);
  EXPECT_EQ(decision(first, "carved ivory"), Action::kReview);
  EXPECT_EQ(decision(first, "pangolin scales"), Action::kAllow);
  ASSERT_TRUE(fs::exists(lexicon_entry()));

  // A new process would find only the disk: the in-memory part is emptied.
  forget_parsed_lexicons();
  write_lexicon("  - ivory\n  - pangolin\n");
  auto second = compile();
  ASSERT_TRUE(second);
  EXPECT_EQ(decision(second, "pangolin scales"), Action::kReview);
  EXPECT_EQ(decision(second, "carved ivory"), Action::kReview);
  EXPECT_TRUE(fs::exists(lexicon_entry()));

  // And back: the first entry is still there and is what answers.
  forget_parsed_lexicons();
  write_lexicon("  - ivory\n");
  CheckCacheStatus status;
  const std::string text = read(pack_dir() / "goods.yaml");
  ASSERT_TRUE(find_parsed_lexicon(text, 0, {true, cache_dir().string()}, &status));
  EXPECT_EQ(status.lookup, "disk");
  auto third = compile();
  ASSERT_TRUE(third);
  EXPECT_EQ(decision(third, "pangolin scales"), Action::kAllow);
}

CheckedTerm pangolin() {
  CheckedTerm t;
  t.text = "pangolin";
  return t;
}

TEST_F(CheckCacheTest, DamagedOrForgedEntryIsRejectedAndRebuilt) {
  write_lexicon("  - ivory\n  - {term: rhino horn, lang: en, weight: 2}\n");
  const std::string text = read(pack_dir() / "goods.yaml");
  auto reference = compile();
  ASSERT_TRUE(reference);
  const fs::path entry = lexicon_entry();
  const std::string good = read(entry);
  ASSERT_FALSE(good.empty());
  const CheckCacheOptions options{true, cache_dir().string()};

  // A flipped byte: the MAC fails, the file is parsed again and the entry rewritten.
  std::string damaged = good;
  damaged[damaged.size() - 3] ^= 0x20;
  write(entry, damaged);
  forget_parsed_lexicons();
  CheckCacheStatus status;
  EXPECT_FALSE(find_parsed_lexicon(text, 0, options, &status));
  EXPECT_EQ(status.lookup, "corrupt");
  auto again = compile();
  ASSERT_TRUE(again);
  EXPECT_EQ(decision(again, "rhino horn powder"), Action::kReview);
  EXPECT_EQ(read(entry), good);

  // Sealed with the directory's own key but holding other terms than the file's: bytes that do
  // not decode as terms of this file are refused too.
  const base::ArtifactCache store(cache_dir().string(), ".tlx");
  for (const std::string& object :
       {std::string("TUSKLEX1 junk"),
        encode_lexicon_terms({CheckedTerm{"x", false, 0, "", 1.0, "", "", "", {0, 0, 100000}}})}) {
    write(entry, store.seal(lexicon_cache_key(text), object));
    forget_parsed_lexicons();
    status = {};
    EXPECT_FALSE(find_parsed_lexicon(text, 0, options, &status));
    EXPECT_EQ(status.lookup, "undecodable");
    auto rebuilt = compile();
    ASSERT_TRUE(rebuilt);
    EXPECT_EQ(decision(rebuilt, "rhino horn powder"), Action::kReview);
    EXPECT_EQ(read(entry), good);
  }

  // Sealed with another key: a forgery, rejected like damage.
  write(entry, base::ArtifactCache::encode(lexicon_cache_key(text), encode_lexicon_terms({pangolin()}),
                                           std::string(32, 'k')));
  forget_parsed_lexicons();
  status = {};
  EXPECT_FALSE(find_parsed_lexicon(text, 0, options, &status));
  EXPECT_EQ(status.lookup, "corrupt");
  auto after = compile();
  ASSERT_TRUE(after);
  EXPECT_EQ(decision(after, "pangolin scales"), Action::kAllow);
  EXPECT_EQ(read(entry), good);
}

TEST_F(CheckCacheTest, TermsSurviveTheEncoding) {
  std::vector<CheckedTerm> terms = {
      CheckedTerm{"ivory", true, 1, "en", 2.5, "a note", "TRAFFIC 2020", "sourced", {0, 3, 9}},
      CheckedTerm{"象牙", false, 0, "zh", 1.0, "", "", "", {0, 12, 20}},
  };
  auto back = decode_lexicon_terms(encode_lexicon_terms(terms), 100);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*back)[i].text, terms[i].text);
    EXPECT_EQ((*back)[i].prefix, terms[i].prefix);
    EXPECT_EQ((*back)[i].edit_distance, terms[i].edit_distance);
    EXPECT_EQ((*back)[i].lang, terms[i].lang);
    EXPECT_EQ((*back)[i].weight, terms[i].weight);
    EXPECT_EQ((*back)[i].note, terms[i].note);
    EXPECT_EQ((*back)[i].source, terms[i].source);
    EXPECT_EQ((*back)[i].status, terms[i].status);
    EXPECT_EQ((*back)[i].span.begin, terms[i].span.begin);
    EXPECT_EQ((*back)[i].span.end, terms[i].span.end);
  }
  // Spans past the file, cut-off or trailing bytes: nothing.
  EXPECT_FALSE(decode_lexicon_terms(encode_lexicon_terms(terms), 19));
  const std::string bytes = encode_lexicon_terms(terms);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode_lexicon_terms(bytes.substr(0, cut), 100)) << cut;
  }
  EXPECT_FALSE(decode_lexicon_terms(bytes + "x", 100));
}

// A regex list that passed is remembered on disk; a failing regex is reported every time.
TEST_F(CheckCacheTest, RegexChecksArePassesOnly) {
  const CheckCacheOptions options{true, cache_dir().string()};
  const std::string good = regex_check_key({{"\\d+ ?kg", "i"}});
  const std::string other = regex_check_key({{"\\d+ ?kg", ""}});
  EXPECT_NE(good, other);
  write_lexicon("  - ivory\n");
  ASSERT_TRUE(compile());
  EXPECT_TRUE(find_check_result(good, {true, cache_dir().string()}));
  EXPECT_FALSE(find_check_result(other, options));

  write(pack_dir() / "main.tusk",
        "pack p version \"1\"\n"
        "regex bad = /(a)\\1/\n"
        "rule heavy { when text matches bad  score 1 }\n"
        "decide { review when heavy  allow otherwise }\n");
  for (int i = 0; i < 2; ++i) {
    CompileOptions compile_options;
    compile_options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    compile_options.backend = Backend::kInterp;
    compile_options.cache_dir = cache_dir().string();
    auto result = Pack::compile((pack_dir() / "main.tusk").string(), compile_options);
    EXPECT_FALSE(result.pack);
    EXPECT_NE(result.rendered.find("Vectorscan cannot compile regex"), std::string::npos) << result.rendered;
  }
}

}  // namespace
}  // namespace tusk::compiler::front
