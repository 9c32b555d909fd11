// Account state through the public API (docs/accounts.md, "Semantics"): order, batches, time,
// the default store, and what a stateless pack is spared.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "tests/support/test_pack.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"
#include "tusk/state.h"

namespace tusk {
namespace {

constexpr const char* kPack = R"(pack accounts_test version "1"
lexicon ivory { "ivory", "tusk*" }
rule mentions_ivory { when text mentions ivory  score 80 }
rule offender { when seller has label "offender" and mentions_ivory  score 10 }
entity seller = seller.id
counter blocked_1d of seller counts action == block over 1 day
counter posts_1h of seller counts every listing over 1 hour
counter kinds of seller counts distinct category over 1 day
label seller "offender" for 2 days when action == block
decide { block when score >= 80  allow otherwise }
decide account of seller {
  suspend when count(blocked_1d) >= 2 and action == block
  watch when count(posts_1h) >= 3 or count(kinds) >= 3
  none otherwise
}
)";

// Counts round trips, and delegates to the memory store.
class CountingStore final : public StateStore {
 public:
  std::vector<EntityState> read(const std::vector<EntityKey>& keys) override {
    ++reads;
    return inner->read(keys);
  }
  void apply(const std::vector<StateUpdate>& updates) override {
    ++applies;
    inner->apply(updates);
  }
  std::vector<EntityKey> list(const std::string& s, const std::string& e, const std::string& a,
                              std::size_t n) override {
    return inner->list(s, e, a, n);
  }
  bool forget(const EntityKey& key) override { return inner->forget(key); }
  std::string describe() const override { return "counting"; }

  std::shared_ptr<StateStore> inner = make_memory_state();
  std::atomic<int> reads{0}, applies{0};
};

std::string listing(int i, const std::string& seller, const std::string& title, const std::string& time,
                    const std::string& category = "art") {
  return "{\"id\":\"l" + std::to_string(i) + "\",\"title\":\"" + title + "\",\"category\":\"" + category +
         "\",\"seller\":{\"id\":\"" + seller + "\"},\"posted_at\":\"" + time + "\"}";
}

std::vector<std::string> sequence() {
  std::vector<std::string> out;
  const char* sellers[] = {"a", "b", "a", "c", "a", "b", "a", "b"};
  const char* titles[] = {"ivory", "spoon", "tusk", "ivory", "ivory bowl", "tusk", "ivory", "cup"};
  const char* cats[] = {"art", "home", "toys", "art", "books", "art", "music", "tools"};
  out.reserve(8);
  for (int i = 0; i < 8; ++i) {
    out.push_back(listing(i, sellers[i], titles[i], "2026-01-01T1" + std::to_string(i) + ":00:00Z", cats[i]));
  }
  return out;
}

TEST(Accounts, VerdictsDoNotDependOnTheBatchSize) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  ASSERT_TRUE(pack);
  const auto lines = sequence();
  std::string one_by_one;
  {
    Scanner s(pack);
    s.set_state(make_memory_state());
    for (const auto& l : lines) one_by_one += to_json(s.scan(l)) + "\n";
  }
  for (std::size_t batch : {1u, 2u, 3u, 8u}) {
    Scanner s(pack);
    s.set_state(make_memory_state());
    std::string out;
    for (std::size_t i = 0; i < lines.size(); i += batch) {
      std::vector<std::string_view> views;
      for (std::size_t k = i; k < std::min(lines.size(), i + batch); ++k) views.push_back(lines[k]);
      for (const auto& v : s.scan_batch(views)) out += to_json(v) + "\n";
    }
    // scan_batch numbers lines within the batch; only error verdicts print them, and there are none.
    EXPECT_EQ(out, one_by_one) << "batch size " << batch;
  }
  // The sequence does what the pack says: a's third blocked listing suspends a.
  EXPECT_NE(one_by_one.find("\"id\":\"l4\",\"action\":\"block\""), std::string::npos);
  EXPECT_NE(one_by_one.find("\"action\":\"suspend\""), std::string::npos);
}

TEST(Accounts, AListingSeesTheStateBeforeItNeverItsOwnEffects) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  Scanner s(pack);
  s.set_state(make_memory_state());
  Verdict first = s.scan(listing(1, "a", "ivory", "2026-01-01T10:00:00Z"));
  ASSERT_TRUE(first.ok);
  EXPECT_EQ(first.action, Action::kBlock);
  ASSERT_TRUE(first.account.present);
  EXPECT_EQ(first.account.action, AccountAction::kNone);
  for (const auto& v : first.account.state) EXPECT_EQ(v.value, 0) << v.name;  // nothing yet, not even itself
  Verdict second = s.scan(listing(2, "a", "ivory", "2026-01-01T11:00:00Z"));
  // The label set by the first listing is on; the second listing's own block is not counted.
  ASSERT_EQ(second.fired.size(), 2u);
  EXPECT_EQ(second.fired[1].rule, "offender");
  Verdict third = s.scan(listing(3, "a", "ivory", "2026-01-01T12:00:00Z"));
  EXPECT_EQ(third.account.action, AccountAction::kSuspend);
  ASSERT_EQ(third.account.reasons.size(), 2u);
  EXPECT_EQ(third.account.reasons[0], "count(blocked_1d) >= 2");
  EXPECT_EQ(third.account.reasons[1], "action == block");
}

TEST(Accounts, WindowsEndAndLabelsExpire) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  Scanner s(pack);
  s.set_state(make_memory_state());
  s.scan(listing(1, "a", "ivory", "2026-01-01T10:00:00Z"));
  s.scan(listing(2, "a", "ivory", "2026-01-01T11:00:00Z"));
  // Two days and a half later: the 1-day counter is empty (the bounded error is one bucket,
  // 24 minutes) and the 2-day label has expired.
  Verdict later = s.scan(listing(3, "a", "ivory", "2026-01-04T00:00:00Z"));
  EXPECT_EQ(later.fired.size(), 1u);
  EXPECT_EQ(later.account.action, AccountAction::kNone);
}

TEST(Accounts, TimeComesFromPostedAtOrTheClock) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  Scanner s(pack);
  s.set_state(make_memory_state());
  std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z
  int clock_reads = 0;
  s.set_clock([&] {
    ++clock_reads;
    return now;
  });
  const std::string no_time = R"({"id":"x","title":"spoon","seller":{"id":"z"}})";
  for (int i = 0; i < 3; ++i) s.scan(no_time);
  EXPECT_EQ(clock_reads, 3);
  Verdict v = s.scan(no_time);
  EXPECT_EQ(v.account.action, AccountAction::kWatch);  // 3 posts within the hour before
  now += static_cast<std::int64_t>(2) * 3600;
  v = s.scan(no_time);
  EXPECT_EQ(v.account.action, AccountAction::kNone);  // the hour has passed
  s.scan(listing(9, "z", "spoon", "2026-01-01T00:00:00+01:00"));
  EXPECT_EQ(clock_reads, 5);  // a listing with posted_at does not read the clock
}

TEST(Accounts, AMalformedPostedAtFailsTheListingClosed) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  Scanner s(pack);
  s.set_state(make_memory_state());
  for (const char* bad : {"2026-01-01", "2026-01-01T10:00:00", "2026-02-30T10:00:00Z", "2026-01-01 10:00:00Z",
                          "2026-01-01T24:00:00Z", "2026-01-01T10:00:00Zjunk"}) {
    Verdict v = s.scan(listing(1, "a", "ivory", bad));
    EXPECT_FALSE(v.ok) << bad;
    EXPECT_NE(v.error.find("posted_at"), std::string::npos) << v.error;
  }
  // Nothing was counted for them.
  Verdict v = s.scan(listing(2, "a", "ivory", "2026-01-01T10:00:00.5-05:30"));
  ASSERT_TRUE(v.ok) << v.error;
  for (const auto& x : v.account.state) EXPECT_EQ(x.value, 0) << x.name;
}

TEST(Accounts, ABatchIsOneReadAndOneApply) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  auto store = std::make_shared<CountingStore>();
  Scanner s(pack);
  s.set_state(store);
  const auto lines = sequence();
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  s.scan_batch(views);
  EXPECT_EQ(store->reads.load(), 1);
  EXPECT_EQ(store->applies.load(), 1);
}

TEST(Accounts, ScannersWithoutAStoreShareThePacksOne) {
  auto pack = tusk::testing::compile_test_pack(kPack);
  Scanner a(pack), b(pack);
  a.scan(listing(1, "q", "ivory", "2026-01-01T10:00:00Z"));
  Verdict v = b.scan(listing(2, "q", "ivory", "2026-01-01T11:00:00Z"));
  ASSERT_EQ(v.fired.size(), 2u);  // b sees the label a's listing set
}

// Pack::stateful() tells a caller whether grouping listings matters (tusk stream screens a
// stateless pack's messages one at a time and a stateful one's in groups).
TEST(Accounts, APackSaysWhetherItKeepsState) {
  auto full = tusk::testing::compile_test_pack(kPack);
  ASSERT_TRUE(full);
  EXPECT_TRUE(full->stateful());
  auto counter_only = tusk::testing::compile_test_pack(R"(pack counting version "1"
rule r { when title matches /ivory/  score 80 }
entity seller = seller.id
counter posts_1h of seller counts every listing over 1 hour
decide { block when score >= 80  review when count(posts_1h) >= 3  allow otherwise }
)");
  ASSERT_TRUE(counter_only);
  EXPECT_TRUE(counter_only->stateful());
  auto plain = tusk::testing::compile_test_pack(R"(pack plain version "1"
rule r { when title matches /ivory/  score 80 }
decide { block when score >= 80  allow otherwise }
)");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->stateful());
}

TEST(Accounts, AStatelessPackNeverTouchesAStore) {
  auto pack = tusk::testing::compile_test_pack(R"(pack plain version "1"
lexicon ivory { "ivory" }
rule r { when text mentions ivory  score 80 }
decide { block when score >= 80  allow otherwise }
)");
  ASSERT_TRUE(pack);
  auto store = std::make_shared<CountingStore>();
  Scanner s(pack);
  s.set_state(store);
  s.set_clock([]() -> std::int64_t {
    ADD_FAILURE() << "the clock was read";
    return 0;
  });
  const std::string bad_time = R"({"id":"1","title":"ivory","posted_at":"yesterday"})";
  Verdict v = s.scan(bad_time);
  EXPECT_TRUE(v.ok);  // a stateless pack does not parse posted_at
  EXPECT_FALSE(v.account.present);
  EXPECT_EQ(to_json(v).find("\"account\""), std::string::npos);
  s.scan_batch({bad_time, bad_time});
  EXPECT_EQ(store->reads.load(), 0);
  EXPECT_EQ(store->applies.load(), 0);
}

}  // namespace
}  // namespace tusk
