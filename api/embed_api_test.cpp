// The embedding API (docs/embedding.md): packs from strings, batches, listings filled field by
// field, diagnostics as data, and the limits of tusk/limits.h showing in verdicts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

constexpr const char* kPack = R"(pack embed.demo version "1.0.0"
lexicon ivory_names { "ivory", "elephant tusk*", "象牙" }
lexicon code_words { "white plastic" }
regex weight_phrase = /\d+\s?(kg|g)/
rule mentions_ivory { when text mentions ivory_names  score 30  reason "mentions {hits(ivory_names)}" }
rule coded { when text mentions code_words and category in {"antiques"}  score 50  tag "code-word" }
rule heavy { when mentions_ivory and text matches weight_phrase  score 20 }
rule tagged { when tags mentions ivory_names  score 5 }
rule cheap { when mentions_ivory and price in USD < 20  score -10 }
decide {
  block  when score >= 80
  review when score >= 40
  allow  otherwise
}
)";

CompileOptions options() {
  CompileOptions o;
  o.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  o.backend = Backend::kInterp;
  return o;
}

std::shared_ptr<const Pack> compile(const CompileOptions& o = options()) {
  CompileResult r = Pack::compile_sources({{"main.tusk", kPack}}, "main.tusk", o);
  EXPECT_TRUE(r.pack) << r.rendered;
  return r.pack;
}

bool fired(const Verdict& v, const std::string& rule) {
  for (const auto& f : v.fired) {
    if (f.rule == rule) return true;
  }
  return false;
}

bool has_note(const Verdict& v, const std::string& part) {
  for (const auto& n : v.notes) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(EmbedApi, CompileFromStringsMatchesCompileFromDisk) {
  auto pack = compile();
  ASSERT_TRUE(pack);
  EXPECT_EQ(pack->info().name, "embed.demo");
  EXPECT_EQ(pack->info().version, "1.0.0");
  EXPECT_EQ(pack->info().digest.size(), 64u);
  Scanner scanner(pack);
  const Verdict v = scanner.scan(R"({"id":"a","title":"Elephant tusks, 5 kg","price":900,"currency":"USD"})");
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.action, Action::kReview);
  EXPECT_TRUE(fired(v, "mentions_ivory"));
  EXPECT_TRUE(fired(v, "heavy"));
  EXPECT_EQ(v.pack.digest, pack->info().digest);
}

TEST(EmbedApi, PackWithManifestFromStrings) {
  const std::map<std::string, std::string> files = {
      {"pack.yaml", "name: embed.manifest\nversion: \"2.0.0\"\nsources: [rules/main.tusk]\n"},
      {"rules/main.tusk",
       "pack embed.manifest version \"2.0.0\"\nuse \"words.tusk\"\n"
       "rule r { when title mentions words  score 50 }\n"
       "decide { review when r  allow otherwise }\n"},
      {"rules/words.tusk", "lexicon words { \"pangolin scale*\" }\n"},
  };
  CompileResult r = Pack::compile_sources(files, "", options());
  ASSERT_TRUE(r.pack) << r.rendered;
  EXPECT_EQ(r.pack->info().name, "embed.manifest");
  Scanner scanner(r.pack);
  EXPECT_EQ(scanner.scan(R"({"title":"pangolin scales 1kg"})").action, Action::kReview);
  EXPECT_EQ(scanner.scan(R"({"title":"pangolin plush toy"})").action, Action::kAllow);
}

// Pack files in a fresh directory, removed at the end of the test.
class PackFiles {
 public:
  PackFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("tusk-embed-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~PackFiles() { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

constexpr const char* kFilesMain =
    "pack embed.files version \"3.0.0\"\n"
    "decide { review when score >= 40  allow otherwise }\n";
constexpr const char* kFilesWords =
    "use \"lexicons/words.tusk\"\n"
    "rule r { when title mentions words  score 50  reason \"{hits(words)}\" }\n";
constexpr const char* kFilesLexicon = "lexicon words { \"pangolin scale*\", \"穿山甲\" }\n";

TEST(EmbedApi, CompileFromFilesEqualsThePackDirectory) {
  PackFiles files;
  const std::string main = files.write("main.tusk", kFilesMain);
  const std::string rules = files.write("rules/words.tusk", kFilesWords);
  files.write("rules/lexicons/words.tusk", kFilesLexicon);
  CompileResult from_files = Pack::compile_files({main, rules}, options());
  ASSERT_TRUE(from_files.pack) << from_files.rendered;
  EXPECT_EQ(from_files.pack->info().name, "embed.files");
  EXPECT_EQ(from_files.pack->info().version, "3.0.0");

  files.write("pack.yaml", "name: embed.files\nversion: \"3.0.0\"\nsources: [main.tusk, rules/words.tusk]\n");
  CompileResult from_dir = Pack::compile(files.dir(), options());
  ASSERT_TRUE(from_dir.pack) << from_dir.rendered;

  Scanner a(from_files.pack), b(from_dir.pack);
  for (const char* listing :
       {R"({"id":"1","title":"pangolin scales 1kg"})", R"({"id":"2","title":"穿山甲片"})",
        R"({"id":"3","title":"pangolin plush toy"})"}) {
    Verdict va = a.scan(listing), vb = b.scan(listing);
    EXPECT_EQ(va.action, vb.action) << listing;
    EXPECT_EQ(va.score, vb.score) << listing;
    EXPECT_EQ(va.fired.size(), vb.fired.size()) << listing;
  }
  EXPECT_EQ(a.scan(R"({"title":"pangolin scales 1kg"})").action, Action::kReview);
  EXPECT_EQ(a.scan(R"({"title":"pangolin plush toy"})").action, Action::kAllow);
}

TEST(EmbedApi, CompileFromFilesReportsBadListsAsDiagnostics) {
  PackFiles files;
  const std::string main = files.write("main.tusk", kFilesMain);
  const std::string rules = files.write("rules/words.tusk", kFilesWords);
  files.write("rules/lexicons/words.tusk", kFilesLexicon);
  const auto expect_error = [](const CompileResult& r, const std::string& code, const std::string& text) {
    EXPECT_FALSE(r.pack);
    bool found = false;
    for (const auto& d : r.diagnostics) found |= d.code == code && d.rendered.find(text) != std::string::npos;
    EXPECT_TRUE(found) << "no " << code << " mentioning `" << text << "` in:\n" << r.rendered;
  };
  // The first file must carry the pack header.
  expect_error(Pack::compile_files({rules, main}, options()), "E008", "pack");
  // A missing file is named, with the others still checked.
  expect_error(Pack::compile_files({main, files.dir() + "/nope.tusk"}, options()), "E009", "nope.tusk");
  // A directory cannot be one of several pack files.
  expect_error(Pack::compile_files({main, files.dir()}, options()), "E009", "directory");
  expect_error(Pack::compile_files({}, options()), "E009", "no pack files");
}

TEST(EmbedApi, DiagnosticsComeBackAsData) {
  CompileResult r =
      Pack::compile_sources({{"bad.tusk",
                              "pack bad version \"1\"\nrule r { when text mentions no_such_lexicon  score 1 "
                              "}\ndecide { review when r  allow otherwise }\n"}},
                            "bad.tusk", options());
  EXPECT_FALSE(r.pack);
  const Diagnostic* found = nullptr;
  for (const auto& d : r.diagnostics) {
    if (d.severity == "error" && found == nullptr) found = &d;
  }
  ASSERT_NE(found, nullptr) << r.rendered;
  const Diagnostic& d = *found;
  EXPECT_EQ(d.file, "bad.tusk");
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.code.front(), 'E');
  EXPECT_NE(d.rendered.find("no_such_lexicon"), std::string::npos);
}

TEST(EmbedApi, MissingVirtualFileIsAnIoDiagnostic) {
  CompileResult r = Pack::compile_sources({{"main.tusk", "pack p version \"1\"\nuse \"missing.tusk\"\n"}},
                                          "main.tusk", options());
  EXPECT_FALSE(r.pack);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.rendered.find("missing.tusk"), std::string::npos) << r.rendered;
}

TEST(EmbedApi, DigestDependsOnTheSourcesOnly) {
  auto a = compile();
  auto b = compile();
  EXPECT_EQ(a->info().digest, b->info().digest);
  std::string changed = kPack;
  changed += "rule extra { when title mentions code_words  score 1 }\n";
  CompileResult c = Pack::compile_sources({{"main.tusk", changed}}, "main.tusk", options());
  ASSERT_TRUE(c.pack) << c.rendered;
  EXPECT_NE(a->info().digest, c.pack->info().digest);
}

TEST(EmbedApi, BatchKeepsOrderAndCountsLines) {
  Scanner scanner(compile());
  const std::vector<std::string_view> lines = {
      R"({"id":"1","title":"ivory bangle 3 kg","price":500,"currency":"USD"})",
      R"({"id":"2","title":)",
      R"({"id":"3","title":"cotton shirt"})",
  };
  const std::vector<Verdict> out = scanner.scan_batch(lines);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[0].id, "1");
  EXPECT_EQ(out[0].action, Action::kReview);
  EXPECT_FALSE(out[1].ok);
  EXPECT_FALSE(out[1].error.empty());
  EXPECT_EQ(out[1].line, 2u);
  EXPECT_EQ(out[2].id, "3");
  EXPECT_EQ(out[2].action, Action::kAllow);
  EXPECT_EQ(out[2].line, 3u);
  // The JSON form of the error is the documented error object.
  EXPECT_EQ(to_json(out[1]).rfind(R"({"line":2,"error":)", 0), 0u) << to_json(out[1]);
}

TEST(EmbedApi, FieldByFieldEqualsJson) {
  Scanner scanner(compile());
  const Verdict from_json = scanner.scan(
      R"({"id":"x","title":"white plastic bangle","description":"old ivory, 2 kg","category":"antiques",)"
      R"("price":15,"currency":"usd","tags":["ivory","bangle"]})");
  scanner.begin("x");
  EXPECT_TRUE(scanner.add_element("tags", "ivory"));
  EXPECT_TRUE(scanner.set_text("title", "white plastic bangle"));
  EXPECT_TRUE(scanner.set_text("description", "old ivory, 2 kg"));
  EXPECT_TRUE(scanner.add_element("tags", "bangle"));  // not at the arena's tail any more
  EXPECT_TRUE(scanner.set_text("category", "antiques"));
  EXPECT_TRUE(scanner.set_money("price", 15, "usd"));
  const Verdict built = scanner.scan_listing();
  ASSERT_TRUE(from_json.ok) << from_json.error;
  EXPECT_EQ(to_json(built), to_json(from_json));
  EXPECT_TRUE(fired(built, "coded"));
  EXPECT_TRUE(fired(built, "tagged"));
  EXPECT_TRUE(fired(built, "cheap"));
}

TEST(EmbedApi, SettersRejectUnknownFieldsAndWrongKinds) {
  Scanner scanner(compile());
  scanner.begin();
  EXPECT_FALSE(scanner.set_text("no_such_field", "x"));
  EXPECT_FALSE(scanner.set_number("title", 3));
  EXPECT_FALSE(scanner.set_text("price", "3"));
  EXPECT_FALSE(scanner.add_element("title", "x"));
  EXPECT_TRUE(scanner.set_text("title", "plain text"));
  EXPECT_EQ(scanner.scan_listing().action, Action::kAllow);
}

TEST(EmbedApi, RecordLimitGivesAnErrorVerdict) {
  CompileOptions o = options();
  o.limits.max_record_bytes = 100;
  Scanner scanner(compile(o));
  const Verdict v = scanner.scan(R"({"title":")" + std::string(200, 'a') + R"("})");
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.error.find("limit"), std::string::npos) << v.error;
  EXPECT_TRUE(scanner.scan(R"({"title":"ivory"})").ok);
}

TEST(EmbedApi, FieldLimitCutsAndNotes) {
  CompileOptions o = options();
  o.limits.max_field_bytes = 64;
  Scanner scanner(compile(o));
  // The term sits past the cut: not screened, and the note says so.
  const Verdict late = scanner.scan(R"({"title":")" + std::string(100, 'x') + R"( ivory"})");
  ASSERT_TRUE(late.ok);
  EXPECT_FALSE(fired(late, "mentions_ivory"));
  EXPECT_TRUE(has_note(late, "title is 106 bytes; only the first 64")) << to_json(late);
  // A cut inside a multi-byte character backs up to its start: 63 'x' then 象 (3 bytes).
  const Verdict utf8 = scanner.scan(R"({"title":")" + std::string(63, 'x') + "象牙" + R"("})");
  ASSERT_TRUE(utf8.ok);
  EXPECT_TRUE(has_note(utf8, "only the first 63")) << to_json(utf8);
  const Verdict early = scanner.scan(R"({"title":"ivory )" + std::string(100, 'x') + R"("})");
  EXPECT_TRUE(fired(early, "mentions_ivory"));
}

TEST(EmbedApi, MatchLimitKeepsTheFirstMatches) {
  CompileOptions o = options();
  o.limits.max_matches_per_pattern = 3;
  Scanner scanner(compile(o));
  std::string title;
  for (int i = 0; i < 10; ++i) title += "ivory ";
  const Verdict v = scanner.scan(R"({"title":")" + title + R"("})");
  ASSERT_TRUE(v.ok);
  ASSERT_TRUE(fired(v, "mentions_ivory"));
  for (const auto& f : v.fired) {
    if (f.rule == "mentions_ivory") {
      EXPECT_EQ(f.evidence.size(), 3u);
    }
  }
  EXPECT_TRUE(has_note(v, "more than 3 matches of `ivory_names`")) << to_json(v);
  // The counts are per listing: a clean listing after it fires nothing and notes nothing, and
  // the same listing again keeps its first three matches and is noted again.
  const Verdict clean = scanner.scan(R"({"title":"a wooden bowl"})");
  ASSERT_TRUE(clean.ok);
  EXPECT_TRUE(clean.fired.empty()) << to_json(clean);
  EXPECT_TRUE(clean.notes.empty()) << to_json(clean);
  const Verdict again = scanner.scan(R"({"title":")" + title + R"("})");
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(to_json(again), to_json(v));
}

TEST(EmbedApi, TermLimitFailsTheCompile) {
  CompileOptions o = options();
  o.limits.max_terms_per_pack = 3;
  CompileResult r = Pack::compile_sources({{"main.tusk", kPack}}, "main.tusk", o);
  EXPECT_FALSE(r.pack);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics.back().code, "E051");
}

// A pack from strings stays in memory: a used or loaded file that is not in the map is not
// found, even when a file of that name is on disk; paths out of the pack are E050 and are never
// read, so nothing of them reaches a diagnostic.
TEST(EmbedApi, PacksFromStringsNeverReadPackFilesFromDisk) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tusk_vfs_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "secret.tusk") << "SECRET-TOKEN-1 is not a declaration\n";
  std::ofstream(dir / "secret.yaml") << "terms: [\"SECRET-TOKEN-2\"]\n";
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  const std::string main =
      "pack t.vfs version \"1\"\n"
      "use \"secret.tusk\"\n"
      "use \"" +
      (dir / "secret.tusk").string() +
      "\"\n"
      "lexicon a = load(\"secret.yaml\")\n"
      "lexicon b = load(\"../" +
      dir.filename().string() +
      "/secret.yaml\")\n"
      "rule r { when text mentions a or text mentions b  score 60 }\n"
      "decide { block when r  allow otherwise }\n";
  CompileResult r = Pack::compile_sources({{"main.tusk", main}}, "main.tusk", options());
  fs::current_path(cwd);
  fs::remove_all(dir);
  EXPECT_FALSE(r.pack);
  EXPECT_EQ(r.rendered.find("SECRET-TOKEN"), std::string::npos) << r.rendered;
  int outside = 0;
  for (const auto& d : r.diagnostics) outside += d.code == "E050";
  EXPECT_EQ(outside, 2) << r.rendered;  // the absolute path and the `..` escape
}

TEST(EmbedApi, WorkBudgetFailOpenAndFailClosed) {
  for (OnBudget mode : {OnBudget::kFailOpen, OnBudget::kFailClosed}) {
    CompileOptions o = options();
    o.limits.work_budget = 1;  // spent by decoding
    o.limits.on_budget = mode;
    Scanner scanner(compile(o));
    const Verdict v = scanner.scan(R"({"id":"t","title":"ivory tusks 40 kg","category":"antiques"})");
    ASSERT_TRUE(v.ok);
    EXPECT_EQ(v.id, "t");
    EXPECT_EQ(v.action, mode == OnBudget::kFailClosed ? Action::kReview : Action::kAllow);
    EXPECT_TRUE(v.fired.empty());
    EXPECT_TRUE(has_note(v, mode == OnBudget::kFailClosed ? "fail-closed" : "fail-open")) << to_json(v);
  }
  // The default budget leaves a normal listing alone.
  Scanner scanner(compile());
  const Verdict v = scanner.scan(R"({"title":"ivory tusks 40 kg"})");
  EXPECT_TRUE(v.notes.empty()) << to_json(v);
  EXPECT_TRUE(fired(v, "heavy"));
}

}  // namespace
}  // namespace tusk
