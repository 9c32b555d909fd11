// The C API (tusk/tusk.h) as a C caller uses it: ownership, status codes, messages.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tusk/tusk.h"

namespace {

constexpr const char* kMain =
    "pack c.demo version \"1\"\nlexicon w { \"ivory\", \"rhino horn\" }\n"
    "rule r { when text mentions w  score 50  reason \"found {hits(w)}\" }\n"
    "rule cheap { when r and price in USD < 20  score -40 }\n"
    "decide { review when score >= 40  allow otherwise }\n";

tusk_options* options() {
  tusk_options* o = tusk_options_new();
  tusk_options_set_stdlib_dir(o, TUSK_SOURCE_DIR "/stdlib");
  tusk_options_set_backend(o, TUSK_BACKEND_INTERP);
  return o;
}

tusk_pack* compile(const char* text) {
  tusk_options* o = options();
  const char* paths[] = {"main.tusk"};
  const char* texts[] = {text};
  tusk_pack* pack = nullptr;
  tusk_diagnostics* diags = nullptr;
  const tusk_status st = tusk_pack_compile_sources(paths, texts, 1, "main.tusk", o, &pack, &diags);
  EXPECT_EQ(st, TUSK_OK) << tusk_diagnostics_rendered(diags);
  tusk_diagnostics_free(diags);
  tusk_options_free(o);
  return pack;
}

TEST(CApi, CompileFilesAndCacheOptions) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("tusk-capi-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "main.tusk")
      << "pack c.files version \"1\"\ndecide { review when r  allow otherwise }\n";
  std::ofstream(dir / "rules.tusk") << "lexicon w { \"ivory\" }\nrule r { when text mentions w  score 50 }\n";
  const std::string main = (dir / "main.tusk").string(), rules = (dir / "rules.tusk").string();
  const char* paths[] = {main.c_str(), rules.c_str()};
  tusk_options* o = options();
  tusk_options_set_cache_dir(o, (dir / "cache").c_str());
  tusk_pack* pack = nullptr;
  tusk_diagnostics* diags = nullptr;
  ASSERT_EQ(tusk_pack_compile_files(paths, 2, o, &pack, &diags), TUSK_OK) << tusk_diagnostics_rendered(diags);
  tusk_diagnostics_free(diags);
  EXPECT_STREQ(tusk_pack_name(pack), "c.files");
  // The pattern databases went to the cache directory given.
  EXPECT_TRUE(fs::exists(dir / "cache"));
  tusk_scanner* s = tusk_scanner_new(pack);
  const tusk_verdict* v = nullptr;
  const std::string json = R"({"title":"ivory comb"})";
  ASSERT_EQ(tusk_scan_json(s, json.data(), json.size(), &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_action(v), TUSK_REVIEW);
  tusk_scanner_free(s);
  tusk_pack_free(pack);

  // Only the first file may carry the header: swapped, the compile fails with diagnostics.
  fs::remove_all(dir / "cache");
  tusk_options_set_use_cache(o, 0);
  const char* swapped[] = {rules.c_str(), main.c_str()};
  EXPECT_EQ(tusk_pack_compile_files(swapped, 2, o, &pack, &diags), TUSK_ERROR_COMPILE);
  EXPECT_EQ(pack, nullptr);
  EXPECT_GT(tusk_diagnostics_count(diags), 0u);
  tusk_diagnostics_free(diags);
  EXPECT_FALSE(fs::exists(dir / "cache"));
  EXPECT_EQ(tusk_pack_compile_files(nullptr, 1, o, &pack, nullptr), TUSK_ERROR_INVALID_ARGUMENT);
  tusk_options_free(o);
  fs::remove_all(dir);
}

TEST(CApi, CompileScanAndJson) {
  tusk_pack* pack = compile(kMain);
  ASSERT_NE(pack, nullptr);
  EXPECT_STREQ(tusk_pack_name(pack), "c.demo");
  EXPECT_EQ(std::string(tusk_pack_digest(pack)).size(), 64u);
  tusk_scanner* s = tusk_scanner_new(pack);
  tusk_pack_free(pack);  // the scanner keeps its own reference
  const tusk_verdict* v = nullptr;
  const std::string json = R"({"id":"l1","title":"Rhino horn cup","price":900,"currency":"USD"})";
  ASSERT_EQ(tusk_scan_json(s, json.data(), json.size(), &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_ok(v), 1);
  EXPECT_STREQ(tusk_verdict_id(v), "l1");
  EXPECT_EQ(tusk_verdict_action(v), TUSK_REVIEW);
  EXPECT_EQ(tusk_verdict_score(v), 50);
  ASSERT_EQ(tusk_verdict_fired_count(v), 1u);
  EXPECT_STREQ(tusk_verdict_fired_rule(v, 0), "r");
  EXPECT_EQ(tusk_verdict_fired_rule(v, 1), nullptr);
  size_t size = 0;
  const std::string out = tusk_verdict_json(v, &size);
  EXPECT_EQ(out.size(), size);
  EXPECT_NE(out.find(R"("reason":"found Rhino horn")"), std::string::npos) << out;
  // A listing that cannot be read is a verdict, not a failure.
  ASSERT_EQ(tusk_scan_json(s, "{", 1, &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_ok(v), 0);
  EXPECT_STRNE(tusk_verdict_error(v), "");
  tusk_scanner_free(s);
}

TEST(CApi, FieldByField) {
  tusk_pack* pack = compile(kMain);
  tusk_scanner* s = tusk_scanner_new(pack);
  const tusk_verdict* v = nullptr;
  EXPECT_EQ(tusk_scanner_set_text(s, "title", "x", 1), TUSK_ERROR_INVALID_ARGUMENT);  // no begin yet
  ASSERT_EQ(tusk_scanner_begin(s, "b1"), TUSK_OK);
  EXPECT_EQ(tusk_scanner_set_text(s, "title", "ivory box", 9), TUSK_OK);
  EXPECT_EQ(tusk_scanner_set_money(s, "price", 5, "usd"), TUSK_OK);
  EXPECT_EQ(tusk_scanner_set_number(s, "nope", 1), TUSK_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tusk_last_error()).find("nope"), std::string::npos);
  EXPECT_EQ(tusk_scanner_add_element(s, "tags", "antique", 7), TUSK_OK);
  ASSERT_EQ(tusk_scanner_scan(s, &v), TUSK_OK);
  EXPECT_STREQ(tusk_verdict_id(v), "b1");
  EXPECT_EQ(tusk_verdict_score(v), 10);  // 50 - 40: cheap fired
  EXPECT_EQ(tusk_verdict_action(v), TUSK_ALLOW);
  EXPECT_EQ(tusk_scanner_scan(s, &v), TUSK_ERROR_INVALID_ARGUMENT);  // begin again first
  tusk_scanner_free(s);
  tusk_pack_free(pack);
}

TEST(CApi, CompileErrorsAreDiagnostics) {
  const char* paths[] = {"main.tusk"};
  const char* texts[] = {
      "pack bad version \"1\"\nrule r { when text mentions missing  score 1 }\ndecide { review when r  allow "
      "otherwise }\n"};
  tusk_options* o = options();
  tusk_pack* pack = reinterpret_cast<tusk_pack*>(0x1);
  tusk_diagnostics* d = nullptr;
  EXPECT_EQ(tusk_pack_compile_sources(paths, texts, 1, "main.tusk", o, &pack, &d), TUSK_ERROR_COMPILE);
  EXPECT_EQ(pack, nullptr);
  size_t err = tusk_diagnostics_count(d);
  for (size_t i = 0; i < tusk_diagnostics_count(d); ++i) {
    if (std::string(tusk_diagnostic_severity(d, i)) == "error") {
      err = i;
      break;
    }
  }
  ASSERT_LT(err, tusk_diagnostics_count(d)) << tusk_diagnostics_rendered(d);
  EXPECT_STREQ(tusk_diagnostic_file(d, err), "main.tusk");
  EXPECT_EQ(tusk_diagnostic_line(d, err), 2u);
  EXPECT_EQ(tusk_diagnostic_code(d, 99), nullptr);
  EXPECT_NE(std::string(tusk_last_error()).find("main.tusk"), std::string::npos) << tusk_last_error();
  tusk_diagnostics_free(d);
  EXPECT_EQ(tusk_pack_compile("/no/such/pack", o, &pack, nullptr), TUSK_ERROR_COMPILE);
  tusk_options_free(o);
  EXPECT_EQ(tusk_pack_compile(nullptr, nullptr, &pack, nullptr), TUSK_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tusk_scanner_new(nullptr), nullptr);
  EXPECT_EQ(tusk_scan_json(nullptr, "{}", 2, nullptr), TUSK_ERROR_INVALID_ARGUMENT);
}

TEST(CApi, EngineSwapFollowsThePack) {
  tusk_pack* a = compile(kMain);
  std::string other = kMain;
  other.replace(other.find("review when"), 6, "block ");
  tusk_pack* b = compile(other.c_str());
  ASSERT_NE(b, nullptr);
  tusk_engine* e = tusk_engine_new(a);
  tusk_scanner* s = tusk_engine_scanner_new(e);
  const tusk_verdict* v = nullptr;
  const std::string json = R"({"title":"ivory"})";
  ASSERT_EQ(tusk_scan_json(s, json.data(), json.size(), &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_action(v), TUSK_REVIEW);
  EXPECT_STREQ(tusk_verdict_pack_digest(v), tusk_pack_digest(a));
  ASSERT_EQ(tusk_engine_swap(e, b), TUSK_OK);
  ASSERT_EQ(tusk_scan_json(s, json.data(), json.size(), &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_action(v), TUSK_BLOCK);
  EXPECT_STREQ(tusk_verdict_pack_digest(v), tusk_pack_digest(b));
  EXPECT_EQ(tusk_engine_reload(e, "/no/such/pack", nullptr, nullptr), TUSK_ERROR_COMPILE);
  tusk_scanner_free(s);
  tusk_engine_free(e);
  tusk_pack_free(a);
  tusk_pack_free(b);
}

// A listing built field by field keeps the pack it began with; a JSON scan in between drops it
// (the engine swap may have replaced the scanner it was pinned to: reading it was a
// use-after-free), and the setters then ask for a new begin.
TEST(CApi, FieldByFieldAcrossAnEngineSwap) {
  tusk_pack* a = compile(kMain);
  std::string other = kMain;
  other.replace(other.find("review when"), 6, "block ");
  tusk_pack* b = compile(other.c_str());
  ASSERT_NE(b, nullptr);
  tusk_engine* e = tusk_engine_new(a);
  tusk_scanner* s = tusk_engine_scanner_new(e);
  const tusk_verdict* v = nullptr;
  const std::string json = R"({"title":"ivory"})";

  // begin, swap, set, scan: the listing is scanned with the pack current at begin.
  ASSERT_EQ(tusk_scanner_begin(s, "pinned"), TUSK_OK);
  ASSERT_EQ(tusk_engine_swap(e, b), TUSK_OK);
  ASSERT_EQ(tusk_scanner_set_text(s, "title", "ivory", 5), TUSK_OK);
  ASSERT_EQ(tusk_scanner_scan(s, &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_action(v), TUSK_REVIEW);
  EXPECT_STREQ(tusk_verdict_pack_digest(v), tusk_pack_digest(a));

  // begin, swap, JSON scan, set: the JSON uses the new pack and the unfinished listing is gone.
  ASSERT_EQ(tusk_engine_swap(e, a), TUSK_OK);
  ASSERT_EQ(tusk_scanner_begin(s, "dropped"), TUSK_OK);
  ASSERT_EQ(tusk_scanner_set_text(s, "title", "cotton", 6), TUSK_OK);
  ASSERT_EQ(tusk_engine_swap(e, b), TUSK_OK);
  ASSERT_EQ(tusk_scan_json(s, json.data(), json.size(), &v), TUSK_OK);
  EXPECT_EQ(tusk_verdict_action(v), TUSK_BLOCK);
  EXPECT_STREQ(tusk_verdict_pack_digest(v), tusk_pack_digest(b));
  EXPECT_EQ(tusk_scanner_set_text(s, "title", "ivory", 5), TUSK_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tusk_last_error()).find("tusk_scanner_begin"), std::string::npos)
      << tusk_last_error();
  EXPECT_EQ(tusk_scanner_set_number(s, "price", 1), TUSK_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tusk_scanner_add_element(s, "tags", "x", 1), TUSK_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tusk_scanner_scan(s, &v), TUSK_ERROR_INVALID_ARGUMENT);

  // A new begin works with the current pack.
  ASSERT_EQ(tusk_scanner_begin(s, "again"), TUSK_OK);
  ASSERT_EQ(tusk_scanner_set_text(s, "title", "ivory", 5), TUSK_OK);
  ASSERT_EQ(tusk_scanner_scan(s, &v), TUSK_OK);
  EXPECT_STREQ(tusk_verdict_id(v), "again");
  EXPECT_EQ(tusk_verdict_action(v), TUSK_BLOCK);
  tusk_scanner_free(s);
  tusk_engine_free(e);
  tusk_pack_free(a);
  tusk_pack_free(b);
}

// A spent work budget fails closed by default: review, no rule, a note naming the limit.
TEST(CApi, WorkBudgetViaOptions) {
  for (int explicit_open : {0, 1}) {
    tusk_options* o = options();
    tusk_options_set_work_budget(o, 1);
    if (explicit_open) tusk_options_set_on_budget(o, TUSK_FAIL_OPEN);
    const char* paths[] = {"main.tusk"};
    const char* texts[] = {kMain};
    tusk_pack* pack = nullptr;
    ASSERT_EQ(tusk_pack_compile_sources(paths, texts, 1, "main.tusk", o, &pack, nullptr), TUSK_OK);
    tusk_scanner* s = tusk_scanner_new(pack);
    const tusk_verdict* v = nullptr;
    ASSERT_EQ(tusk_scan_json(s, "{\"title\":\"ivory\"}", 17, &v), TUSK_OK);
    EXPECT_EQ(tusk_verdict_action(v), explicit_open ? TUSK_ALLOW : TUSK_REVIEW);
    EXPECT_EQ(tusk_verdict_fired_count(v), 0u);
    ASSERT_EQ(tusk_verdict_notes_count(v), 1u);
    const std::string note = tusk_verdict_note(v, 0);
    EXPECT_NE(note.find("work budget of 1 units"), std::string::npos) << note;
    EXPECT_NE(note.find(explicit_open ? "fail-open" : "fail-closed"), std::string::npos) << note;
    tusk_scanner_free(s);
    tusk_pack_free(pack);
    tusk_options_free(o);
  }
}

}  // namespace
