// The bad-input corpus (tests/bad_input/): every file yields exactly one verdict, an error one
// for `error_*` files; nothing crashes and nothing is lost, alone or in a batch. Generated
// cases cover what is too large to keep as files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPack = R"(pack bad.input version "1"
lexicon ivory_names { "ivory", "象牙", "tusk*" }
rule r { when text mentions ivory_names  score 50 }
rule tagged { when tags mentions ivory_names  score 10 }
rule priced { when price in USD > 100  score 1 }
decide { review when r  allow otherwise }
)";

std::shared_ptr<const Pack> pack() {
  static const std::shared_ptr<const Pack> kCompiled = [] {
    CompileOptions o;
    o.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    o.backend = Backend::kInterp;
    // The default work budget stays on: no listing within the record and field limits may
    // spend it by being read (the budget has its own tests in embed_api_test.cpp).
    CompileResult r = Pack::compile_sources({{"main.tusk", kPack}}, "main.tusk", o);
    EXPECT_TRUE(r.pack) << r.rendered;
    return r.pack;
  }();
  return kCompiled;
}

struct Case {
  std::string name;
  std::string text;
};

std::vector<Case> corpus() {
  std::vector<Case> out;
  for (const auto& e : fs::directory_iterator(fs::path(TUSK_SOURCE_DIR) / "tests" / "bad_input")) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({e.path().stem().string(), ss.str()});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

bool expects_error(const std::string& name) { return name.rfind("error_", 0) == 0; }

TEST(BadInput, EveryFileGivesOneVerdictOfTheExpectedKind) {
  const auto cases = corpus();
  ASSERT_GE(cases.size(), 25u);
  Scanner scanner(pack());
  for (const Case& c : cases) {
    const Verdict v = scanner.scan(c.text);
    EXPECT_EQ(!v.ok, expects_error(c.name)) << c.name << ": " << to_json(v);
    if (!v.ok) {
      EXPECT_FALSE(v.error.empty()) << c.name;
    }
    // Either way the verdict renders as one line of JSON.
    const std::string json = to_json(v);
    EXPECT_EQ(json.find('\n'), std::string::npos) << c.name;
  }
}

TEST(BadInput, SpecificOutcomes) {
  Scanner scanner(pack());
  const auto by_name = [&](const std::string& name) {
    for (const Case& c : corpus()) {
      if (c.name == name) return scanner.scan(c.text);
    }
    ADD_FAILURE() << "no corpus file " << name;
    return Verdict{};
  };
  EXPECT_EQ(by_name("error_invalid_utf8").error, "invalid UTF-8");
  EXPECT_EQ(by_name("error_empty").error, "empty line");
  EXPECT_EQ(by_name("error_huge_number").error, "field \"price\": number out of range");
  // Last key wins: the decoy first title is not what gets screened, and the reverse.
  EXPECT_EQ(by_name("ok_duplicate_key_last_wins").action, Action::kReview);
  EXPECT_EQ(by_name("ok_duplicate_key_null").action, Action::kAllow);
  const Verdict nul = by_name("ok_escaped_nul");
  ASSERT_TRUE(nul.ok);
  EXPECT_EQ(nul.action, Action::kReview);
}

TEST(BadInput, BatchLosesNothing) {
  const auto cases = corpus();
  std::vector<std::string_view> lines;
  lines.reserve(cases.size());
  for (const Case& c : cases) lines.push_back(c.text);
  // Interleave good listings so that a bad one cannot disturb its neighbours.
  std::vector<std::string_view> mixed;
  const std::string good = R"({"id":"good","title":"ivory"})";
  for (auto l : lines) {
    mixed.push_back(l);
    mixed.push_back(good);
  }
  Scanner scanner(pack());
  const auto out = scanner.scan_batch(mixed);
  ASSERT_EQ(out.size(), mixed.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].line, i + 1);
    if (i % 2 == 1) {
      EXPECT_TRUE(out[i].ok);
      EXPECT_EQ(out[i].id, "good");
      EXPECT_EQ(out[i].action, Action::kReview);
    } else {
      EXPECT_EQ(!out[i].ok, expects_error(cases[i / 2].name)) << cases[i / 2].name;
    }
  }
}

TEST(BadInput, TenMegabyteFieldIsCutAndScreened) {
  Scanner scanner(pack());
  std::string json = R"({"id":"big","title":"ivory","description":")";
  json.append(10u << 20, 'a');
  json += R"( tusk"})";
  const Verdict v = scanner.scan(json);
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.action, Action::kReview);  // the title still decides
  ASSERT_EQ(v.notes.size(), 1u);
  EXPECT_NE(v.notes[0].find("description is 10485765 bytes; only the first 1048576"), std::string::npos)
      << v.notes[0];
  for (const auto& f : v.fired) {
    for (const auto& e : f.evidence) EXPECT_EQ(e.field, "title");  // "tusk" lay past the cut
  }
}

TEST(BadInput, OversizedListingIsOneError) {
  Scanner scanner(pack());
  std::string json = R"({"id":"huge","title":")";
  json.append(20u << 20, 'a');
  json += R"("})";
  const Verdict v = scanner.scan(json);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.error.find("over the limit"), std::string::npos) << v.error;
}

TEST(BadInput, DeepNesting) {
  Scanner scanner(pack());
  for (int depth : {1000, 100000}) {
    // Deep in an unread key: skipped without recursion.
    std::string json =
        R"({"id":"deep","title":"ivory","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    const Verdict v = scanner.scan(json);
    EXPECT_TRUE(v.ok) << depth << ": " << v.error;
    EXPECT_EQ(v.action, Action::kReview);
    // Deep where a read field is: a type error, not a crash.
    json = R"({"id":"deep","title":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    EXPECT_FALSE(scanner.scan(json).ok) << depth;
    // Unbalanced: invalid JSON.
    json = R"({"id":"deep","x":)" + std::string(depth, '[') + "}";
    EXPECT_FALSE(scanner.scan(json).ok) << depth;
  }
}

TEST(BadInput, ManyTagsAndManyMatches) {
  Scanner scanner(pack());
  std::string json = R"({"id":"tags","tags":[)";
  for (int i = 0; i < 100000; ++i) json += i ? R"(,"ivory")" : R"("ivory")";
  json += "]}";
  const Verdict v = scanner.scan(json);
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.action, Action::kReview);
  // 100,000 matches: the default limit keeps 1,000 per lexicon, and says so.
  bool noted = false;
  for (const auto& n : v.notes) noted = noted || n.find("more than 1000 matches") != std::string::npos;
  EXPECT_TRUE(noted) << to_json(v).substr(0, 500);
}

}  // namespace
}  // namespace tusk
