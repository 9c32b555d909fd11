// The work budget (tusk/limits.h, docs/embedding.md): counted, not timed; a spent budget fails
// closed with a note; reading a listing within the record and field limits never spends it;
// near() costs work linear in the hits and is charged while it runs; both backends agree.
#include <gtest/gtest.h>

#include <string>

#include "api/scanner_impl.h"
#include "tests/support/test_pack.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

constexpr const char* kPack = R"(pack budget.demo version "1"
lexicon ivory { "ivory", "elephant tusk*" }
lexicon alpha { "alpha" }
lexicon beta { "beta" }
rule ivory_named { when text mentions ivory  score 90 }
rule paired { when near(text, alpha, beta, within 0 words)  score 90 }
decide { block when score >= 80  allow otherwise }
)";

std::shared_ptr<const Pack> compile(Backend backend, std::uint64_t budget,
                                    OnBudget on = OnBudget::kFailClosed) {
  CompileOptions o;
  o.backend = backend;
  o.limits.work_budget = budget;
  o.limits.on_budget = on;
  return testing::compile_test_pack(kPack, o);
}

const runtime::Pipeline& pipeline(Scanner& s) { return internal::Inspect::scanner(s).pipeline; }

bool has_note(const Verdict& v, const std::string& part) {
  for (const auto& n : v.notes) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string words(const char* word, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::string(i ? " " : "") + word;
  return out;
}

// 1,000 hits of each lexicon, never within 0 words of each other: every pair would be compared
// by a quadratic near().
std::string far_apart() {
  return R"({"title":")" + words("alpha", 1000) + " x y " + words("beta", 1000) + R"("})";
}

TEST(WorkBudget, SpentBudgetFailsClosedByDefaultWithANote) {
  EXPECT_EQ(Limits{}.on_budget, OnBudget::kFailClosed);
  for (OnBudget on : {OnBudget::kFailClosed, OnBudget::kFailOpen}) {
    Scanner s(compile(Backend::kInterp, 1, on));
    const Verdict v = s.scan(R"({"id":"x","title":"ivory"})");
    ASSERT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.id, "x");
    EXPECT_EQ(v.action, on == OnBudget::kFailClosed ? Action::kReview : Action::kAllow);
    EXPECT_TRUE(v.fired.empty());
    ASSERT_EQ(v.notes.size(), 1u);
    EXPECT_EQ(v.notes[0],
              std::string("limit: work budget of 1 units spent in decode; ") +
                  (on == OnBudget::kFailClosed ? "fail-closed: sent to review" : "fail-open: allowed"));
  }
}

// Fault: a blocked listing padded to ~14 MB in a key the pack does not read was allowed, because
// decoding spent a CPU-time budget that failed open. Skipped bytes cost a 64th of a unit.
TEST(WorkBudget, PaddingInAnUnreadKeyKeepsTheVerdict) {
  const std::string plain = R"({"title":"elephant tusks","description":"real ivory")";
  std::string padded = plain + R"(,"unread":[)";
  for (int i = 0; i < 1'800'000; ++i) padded += i ? R"(,{"a":1})" : R"({"a":1})";
  padded += "]}";
  ASSERT_GT(padded.size(), 14'000'000u);
  ASSERT_LT(padded.size(), Limits{}.max_record_bytes);
  for (Backend b : {Backend::kInterp, Backend::kJit}) {
    Scanner s(compile(b, Limits{}.work_budget));
    const Verdict base = s.scan(plain + "}");
    const std::uint64_t base_work = pipeline(s).work_spent();
    ASSERT_EQ(base.action, Action::kBlock);
    for (int run = 0; run < 2; ++run) {
      const Verdict v = s.scan(padded);
      ASSERT_TRUE(v.ok) << v.error;
      EXPECT_EQ(v.action, Action::kBlock);
      EXPECT_TRUE(v.notes.empty()) << v.notes.front();
      EXPECT_LE(pipeline(s).work_spent(), base_work + padded.size() / 64 + 1);
    }
  }
}

// The limits agree: a read field near the record limit is cut by the field limit and screened,
// and the budget is not what decides it.
TEST(WorkBudget, AHugeReadFieldIsCutNotBudgeted) {
  // NOLINTNEXTLINE(bugprone-string-constructor): 15 MB of padding on purpose
  const std::string padding(15'000'000, 'x');
  const std::string json = R"({"title":"ivory )" + padding + R"("})";
  ASSERT_LT(json.size(), Limits{}.max_record_bytes);
  Scanner s(compile(Backend::kInterp, Limits{}.work_budget));
  const Verdict v = s.scan(json);
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.action, Action::kBlock);
  ASSERT_EQ(v.notes.size(), 1u);
  EXPECT_NE(v.notes[0].find("limit: title is"), std::string::npos) << v.notes[0];
}

// Fault: near() over 1,000 x 1,000 hits compared every pair (0.7 s of CPU) and the budget was
// never checked during evaluation. Its work is now linear in the hits, and charged.
TEST(WorkBudget, NearIsLinearInTheHits) {
  Scanner s(compile(Backend::kInterp, 0));
  const Verdict v = s.scan(far_apart());
  ASSERT_TRUE(v.ok) << v.error;
  EXPECT_EQ(v.action, Action::kAllow);
  EXPECT_TRUE(v.notes.empty());
  const std::uint64_t evaluation = pipeline(s).work_spent() - pipeline(s).work_before_evaluation();
  // The hits (2,000), the word index of the title (~12,000 bytes), the plan: far below the
  // 1,000,000 pairs a quadratic near would visit.
  EXPECT_GE(evaluation, 2000u);
  EXPECT_LT(evaluation, 30'000u);
  // The same answers as pairwise comparison where pairs are close.
  EXPECT_EQ(s.scan(R"({"title":")" + words("alpha", 1000) + " beta\"}").action, Action::kBlock);
  EXPECT_EQ(s.scan(R"({"title":"beta )" + words("alpha", 1000) + "\"}").action, Action::kBlock);
  EXPECT_EQ(s.scan(R"({"title":"alpha x beta"})").action, Action::kAllow);
  EXPECT_EQ(s.scan(R"({"title":"alpha","description":"beta"})").action, Action::kAllow);
}

// The budget is checked during evaluation, inside near(): one unit short of what the listing
// costs, it runs out there, and both backends count the same units and give the same verdict.
TEST(WorkBudget, RunsOutInsideEvaluationTheSameOnBothBackends) {
  std::uint64_t cost[2] = {0, 0}, before[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    Scanner s(compile(i ? Backend::kJit : Backend::kInterp, 0));
    ASSERT_EQ(s.scan(far_apart()).action, Action::kAllow);
    cost[i] = pipeline(s).work_spent();
    before[i] = pipeline(s).work_before_evaluation();
  }
  ASSERT_EQ(cost[0], cost[1]);
  ASSERT_EQ(before[0], before[1]);
  ASSERT_GT(cost[0], before[0] + 2000);
  for (Backend b : {Backend::kInterp, Backend::kJit}) {
    Scanner exact(compile(b, cost[0]));
    EXPECT_TRUE(exact.scan(far_apart()).notes.empty());
    Scanner short_one(compile(b, cost[0] - 1));
    for (int run = 0; run < 3; ++run) {
      const Verdict v = short_one.scan(far_apart());
      EXPECT_EQ(v.action, Action::kReview);
      EXPECT_TRUE(v.fired.empty());
      EXPECT_TRUE(has_note(v, "spent in evaluation; fail-closed")) << (v.notes.empty() ? "" : v.notes[0]);
    }
  }
}

}  // namespace
}  // namespace tusk
