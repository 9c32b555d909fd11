#include "stream/pending_offsets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace tusk::stream {
namespace {

TEST(PendingOffsets, CommitsOnlyPastTheSettledPrefix) {
  PendingOffsets p;
  for (std::int64_t o : {10, 11, 12, 13}) EXPECT_TRUE(p.add(o));
  EXPECT_EQ(p.settle(12), -1);  // 10 and 11 are still out
  EXPECT_EQ(p.settle(11), -1);
  EXPECT_EQ(p.settle(10), 13);  // 10, 11, 12 settled: commit 13
  EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ(p.settle(13), 14);
  EXPECT_TRUE(p.empty());
}

TEST(PendingOffsets, IgnoresUnknownAndRepeatedSettlements) {
  PendingOffsets p;
  p.add(5);
  p.add(7);  // offsets may have gaps (compacted topics, transaction markers)
  EXPECT_EQ(p.settle(6), -1);
  EXPECT_EQ(p.settle(7), -1);
  EXPECT_EQ(p.settle(7), -1);
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p.settle(5), 8);
  EXPECT_EQ(p.settle(5), -1);  // already gone
}

TEST(PendingOffsets, KeepsOrderWhenAnOffsetComesBackOrTwice) {
  PendingOffsets p;
  p.add(20);
  p.add(22);
  EXPECT_TRUE(p.add(21));   // older than the last: inserted in place
  EXPECT_FALSE(p.add(22));  // already pending
  EXPECT_EQ(p.settle(20), 21);
  EXPECT_EQ(p.settle(22), -1);
  EXPECT_EQ(p.settle(21), 23);
}

// Against the obvious model: the committable offset after each settlement, in random orders.
TEST(PendingOffsets, MatchesAModelInRandomOrders) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + static_cast<int>(rng() % 60);
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(n));
    std::iota(offsets.begin(), offsets.end(), 100);
    PendingOffsets p;
    for (auto o : offsets) p.add(o);
    std::vector<std::int64_t> order = offsets;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<bool> settled(static_cast<std::size_t>(n));
    std::int64_t committed = 100;
    for (auto o : order) {
      settled[static_cast<std::size_t>(o - 100)] = true;
      std::int64_t expect = committed;
      while (expect - 100 < n && settled[static_cast<std::size_t>(expect - 100)]) ++expect;
      const std::int64_t got = p.settle(o);
      if (expect != committed) {
        EXPECT_EQ(got, expect);
        committed = expect;
      } else {
        EXPECT_EQ(got, -1);
      }
    }
    EXPECT_TRUE(p.empty());
    EXPECT_EQ(committed, 100 + n);
  }
}

}  // namespace
}  // namespace tusk::stream
