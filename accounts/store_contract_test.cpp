// The contract every account-state store keeps (tusk/state.h), run on each: the memory store,
// the embedded store on RocksDB, LMDB and SQLite, and Redis (a real redis-server started for
// the suite; skipped, saying why, when it is not installed).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "accounts/embedded_store.h"
#include "accounts/open_state.h"
#include "accounts/redis_store.h"
#include "accounts/redis_test_server.h"

namespace tusk::accounts {
namespace {

using Kind = StateUpdate::Kind;

// Real time, so that Redis's own key expiry (EXPIREAT) agrees with the store's clock; tests move
// the store's clock forward from there.
const std::int64_t kT0 = system_now();

StateUpdate add(const EntityKey& k, const std::string& counter, std::int64_t start, std::int64_t n,
                std::int64_t expires) {
  return {k, Kind::kAdd, counter, "", start, n, expires};
}
StateUpdate see(const EntityKey& k, const std::string& counter, const std::string& value, std::int64_t t,
                std::int64_t expires) {
  return {k, Kind::kSee, counter, value, t, 0, expires};
}
StateUpdate label(const EntityKey& k, const std::string& name, std::int64_t until,
                  const std::string& reason) {
  return {k, Kind::kLabel, name, reason, until, 0, until};
}
StateUpdate unlabel(const EntityKey& k, const std::string& name) {
  return {k, Kind::kUnlabel, name, "", 0, 0, 0};
}

testing::RedisTestServer* redis_server() {
  static testing::RedisTestServer* server = [] {
    auto* s = new testing::RedisTestServer;
    if (!s->start()) {
      delete s;
      return static_cast<testing::RedisTestServer*>(nullptr);
    }
    return s;
  }();
  return server;
}
// Stops the suite's redis-server when the test program ends.
struct RedisReaper : ::testing::Environment {
  void TearDown() override { delete redis_server(); }
};
const auto* const kReaper = ::testing::AddGlobalTestEnvironment(new RedisReaper);

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto kind = GetParam();
    clock_ = std::make_shared<std::atomic<std::int64_t>>(kT0);
    auto clock = clock_;
    Clock now = [clock] { return clock->load(); };
    // A space per test keeps tests apart on the shared Redis server.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    space_ = std::string("pack.") + info->name();
    if (kind == "redis") {
      if (testing::RedisTestServer::binary().empty()) {
        GTEST_SKIP() << "redis-server is not installed (scripts/bootstrap installs it)";
      }
      ASSERT_NE(redis_server(), nullptr) << "redis-server did not start";
      store_ = RedisStore::open(redis_server()->url(), RedisOptions{std::chrono::milliseconds(5000), now});
      return;
    }
    EmbeddedOptions opts;
    opts.now = now;
    opts.sweep_interval = std::chrono::milliseconds(0);
    if (kind == "memory") {
      store_ = make_memory_store(opts);
      return;
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("tusk-state-test-" + std::to_string(::getpid()) + "-" + kind);
    std::filesystem::remove_all(dir_);
    // "_uncached": every read goes to the engine, so the engine's own paths are held to the contract.
    const auto cut = kind.find("_uncached");
    if (cut != std::string::npos) opts.cache_entities = 0;
    opts.engine = *kv_kind_from_name(kind.substr(0, cut));
    store_ = open_embedded(dir_.string(), opts);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  EntityKey key(const std::string& id, const std::string& entity = "seller") { return {space_, entity, id}; }
  EntityState one(const EntityKey& k) { return store_->read({k}).at(0); }

  std::shared_ptr<std::atomic<std::int64_t>> clock_;
  std::string space_;
  std::filesystem::path dir_;
  std::shared_ptr<StateStore> store_;
};

TEST_P(StoreContract, ReadsWhatWasApplied) {
  const auto k = key("u-1");
  EXPECT_TRUE(one(k).empty());
  store_->apply({add(k, "listings", kT0, 2, kT0 + 3600), see(k, "sites", "ebay", kT0 + 5, kT0 + 3600),
                 label(k, "suspect", kT0 + 600, "rule r on listing L")});
  const auto s = one(k);
  ASSERT_EQ(s.buckets.size(), 1u);
  EXPECT_EQ(s.buckets[0].counter, "listings");
  EXPECT_EQ(s.buckets[0].start, kT0);
  EXPECT_EQ(s.buckets[0].count, 2);
  ASSERT_EQ(s.seen.size(), 1u);
  EXPECT_EQ(s.seen[0].counter, "sites");
  EXPECT_EQ(s.seen[0].value, "ebay");
  EXPECT_EQ(s.seen[0].last, kT0 + 5);
  ASSERT_EQ(s.labels.size(), 1u);
  EXPECT_EQ(s.labels[0].name, "suspect");
  EXPECT_EQ(s.labels[0].until, kT0 + 600);
  EXPECT_EQ(s.labels[0].reason, "rule r on listing L");
  // Several keys in one read come back in the order asked, unknown ones empty.
  const auto many = store_->read({key("nobody"), k, key("u-1", "buyer")});
  ASSERT_EQ(many.size(), 3u);
  EXPECT_TRUE(many[0].empty());
  EXPECT_EQ(many[1].buckets.size(), 1u);
  EXPECT_TRUE(many[2].empty());
}

TEST_P(StoreContract, BucketsAreSummedPerStart) {
  const auto k = key("u-2");
  const auto e = kT0 + 7200;
  store_->apply({add(k, "listings", kT0, 1, e), add(k, "listings", kT0, 2, e),
                 add(k, "listings", kT0 + 60, 5, e), add(k, "offers", kT0, 7, e)});
  store_->apply({add(k, "listings", kT0, 4, e)});
  const auto s = one(k);
  ASSERT_EQ(s.buckets.size(), 3u);
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> got;
  for (const auto& b : s.buckets) got[{b.counter, b.start}] = b.count;
  EXPECT_EQ((got[{"listings", kT0}]), 7);
  EXPECT_EQ((got[{"listings", kT0 + 60}]), 5);
  EXPECT_EQ((got[{"offers", kT0}]), 7);
}

TEST_P(StoreContract, SeenKeepsTheLatestTime) {
  const auto k = key("u-3");
  const auto e = kT0 + 7200;
  store_->apply({see(k, "sites", "ebay", kT0 + 10, e), see(k, "sites", "etsy", kT0 + 3, e)});
  store_->apply({see(k, "sites", "ebay", kT0 + 5, e)});  // older: ignored
  auto s = one(k);
  ASSERT_EQ(s.seen.size(), 2u);
  for (const auto& v : s.seen) EXPECT_EQ(v.last, v.value == "ebay" ? kT0 + 10 : kT0 + 3) << v.value;
  store_->apply({see(k, "sites", "ebay", kT0 + 20, e)});
  s = one(k);
  for (const auto& v : s.seen) {
    if (v.value == "ebay") {
      EXPECT_EQ(v.last, kT0 + 20);
    }
  }
}

TEST_P(StoreContract, LabelsKeepTheLaterEndAndItsReason) {
  const auto k = key("u-4");
  store_->apply({label(k, "suspect", kT0 + 100, "first")});
  store_->apply({label(k, "suspect", kT0 + 50, "shorter")});
  auto s = one(k);
  ASSERT_EQ(s.labels.size(), 1u);
  EXPECT_EQ(s.labels[0].until, kT0 + 100);
  EXPECT_EQ(s.labels[0].reason, "first");
  store_->apply({label(k, "suspect", kT0 + 200, "longer, with spaces: and\nnewline")});
  s = one(k);
  EXPECT_EQ(s.labels[0].until, kT0 + 200);
  EXPECT_EQ(s.labels[0].reason, "longer, with spaces: and\nnewline");
}

TEST_P(StoreContract, UnlabelLiftsOneLabel) {
  const auto k = key("u-5");
  store_->apply({label(k, "suspect", kT0 + 100, "a"), label(k, "dealer", kT0 + 100, "b"),
                 add(k, "listings", kT0, 1, kT0 + 100)});
  store_->apply({unlabel(k, "suspect")});
  const auto s = one(k);
  ASSERT_EQ(s.labels.size(), 1u);
  EXPECT_EQ(s.labels[0].name, "dealer");
  EXPECT_EQ(s.buckets.size(), 1u);
  // Lifting the last thing an entity has removes the entity.
  const auto lone = key("u-5b");
  store_->apply({label(lone, "suspect", kT0 + 100, "a")});
  store_->apply({unlabel(lone, "suspect")});
  EXPECT_TRUE(one(lone).empty());
  EXPECT_TRUE(store_->list(space_, "seller", "u-5a", 10).empty() ||
              store_->list(space_, "seller", "u-5a", 10)[0].id != "u-5b");
}

TEST_P(StoreContract, ForgetRemovesEverything) {
  const auto k = key("u-6"), other = key("u-7");
  store_->apply({add(k, "listings", kT0, 3, kT0 + 100), label(k, "suspect", kT0 + 100, "x"),
                 add(other, "listings", kT0, 1, kT0 + 100)});
  EXPECT_TRUE(store_->forget(k));
  EXPECT_TRUE(one(k).empty());
  EXPECT_FALSE(store_->forget(k));
  EXPECT_EQ(one(other).buckets.size(), 1u);
  const auto listed = store_->list(space_, "", "", 100);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], other);
}

TEST_P(StoreContract, ListsPagesInKeyOrder) {
  std::vector<StateUpdate> ups;
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "s-%02d", i);
    ids.push_back(id);
    ups.push_back(add(key(id), "listings", kT0, 1, kT0 + 100));
  }
  ups.push_back(add(key("b-1", "buyer"), "listings", kT0, 1, kT0 + 100));
  ups.push_back(add(key(std::string("odd\0id", 6), "buyer"), "listings", kT0, 1, kT0 + 100));
  ups.push_back(add({space_ + "-other", "seller", "s-99"}, "listings", kT0, 1, kT0 + 100));
  store_->apply(ups);

  std::vector<std::string> paged;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    const auto page = store_->list(space_, "seller", after, 10);
    for (const auto& k : page) {
      EXPECT_EQ(k.entity, "seller");
      paged.push_back(k.id);
    }
    if (page.size() < 10) break;
    after = page.back().id;
  }
  EXPECT_EQ(paged, ids);
  // Without an entity: every entity of the space, buyers before sellers; the cursor is entity:id.
  const auto all = store_->list(space_, "", "", 100);
  ASSERT_EQ(all.size(), 27u);
  EXPECT_EQ(all[0], key("b-1", "buyer"));
  EXPECT_EQ(all[1], key(std::string("odd\0id", 6), "buyer"));
  EXPECT_EQ(all[2], key("s-00"));
  const auto next = store_->list(space_, "", "seller:s-22", 100);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0], key("s-23"));
  EXPECT_EQ(store_->list(space_ + "-other", "", "", 10).size(), 1u);
  EXPECT_TRUE(store_->list("no-such-space", "", "", 10).empty());
}

TEST_P(StoreContract, ExpiredStateIsNeverReturned) {
  const auto k = key("u-8");
  store_->apply({add(k, "listings", kT0, 5, kT0 + 100), add(k, "listings", kT0 + 60, 1, kT0 + 1000),
                 see(k, "sites", "ebay", kT0, kT0 + 100), label(k, "suspect", kT0 + 100, "x")});
  const auto gone = key("u-9");
  store_->apply({add(gone, "listings", kT0, 1, kT0 + 100)});
  clock_->store(kT0 + 100);  // expiry is exclusive: at `expires` the item is gone
  auto s = one(k);
  ASSERT_EQ(s.buckets.size(), 1u);
  EXPECT_EQ(s.buckets[0].start, kT0 + 60);
  EXPECT_TRUE(s.seen.empty());
  EXPECT_TRUE(s.labels.empty());
  EXPECT_TRUE(one(gone).empty());
  const auto listed = store_->list(space_, "seller", "", 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], k);
  // A late update to an expired bucket starts it afresh instead of reviving the old count.
  store_->apply({add(k, "listings", kT0, 2, kT0 + 500)});
  s = one(k);
  for (const auto& b : s.buckets) {
    if (b.start == kT0) {
      EXPECT_EQ(b.count, 2);
    }
  }
  EXPECT_FALSE(store_->forget(gone));
}

TEST_P(StoreContract, ConcurrentAppliesAllCount) {
  const auto k = key("hot");
  constexpr int kThreads = 2, kBatches = 200;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBatches; ++i) {
        store_->apply({add(k, "listings", kT0, 1, kT0 + 3600),
                       see(k, "ids", "t" + std::to_string(t), kT0 + i, kT0 + 3600)});
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto s = one(k);
  ASSERT_EQ(s.buckets.size(), 1u);
  EXPECT_EQ(s.buckets[0].count, kThreads * kBatches);
  ASSERT_EQ(s.seen.size(), 2u);
  for (const auto& v : s.seen) EXPECT_EQ(v.last, kT0 + kBatches - 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract,
                         ::testing::Values("memory", "rocksdb", "lmdb", "sqlite", "rocksdb_uncached",
                                           "lmdb_uncached", "sqlite_uncached", "redis"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tusk::accounts
