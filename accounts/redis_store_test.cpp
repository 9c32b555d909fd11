// What only the Redis store promises: one round trip per read() and apply(), no lost increment
// between two clients, key expiry from the updates' `expires`, expired fields pruned, and a
// reconnect after the server dropped the connection.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <thread>

#include "accounts/entity_codec.h"
#include "accounts/redis_store.h"
#include "accounts/redis_test_server.h"

namespace tusk::accounts {
namespace {

using Kind = StateUpdate::Kind;

class RedisStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::RedisTestServer::binary().empty()) return;
    server = new testing::RedisTestServer;
    if (!server->start()) {
      delete server;
      server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void SetUp() override {
    if (testing::RedisTestServer::binary().empty()) {
      GTEST_SKIP() << "redis-server is not installed (scripts/bootstrap installs it)";
    }
    ASSERT_NE(server, nullptr) << "redis-server did not start";
    raw_ = redisConnect("127.0.0.1", server->port());
    ASSERT_TRUE(raw_ && !raw_->err);
    freeReplyObject(command({"FLUSHALL"}));
  }
  void TearDown() override {
    if (raw_) redisFree(raw_);
  }
  // A command on the test's own connection, to look at what the store wrote.
  long long integer(const std::vector<std::string>& args) {
    auto* r = command(args);
    const auto v = r->integer;
    freeReplyObject(r);
    return v;
  }
  redisReply* command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    return static_cast<redisReply*>(
        redisCommandArgv(raw_, static_cast<int>(args.size()), argv.data(), lens.data()));
  }

  static testing::RedisTestServer* server;
  redisContext* raw_ = nullptr;
};
testing::RedisTestServer* RedisStoreTest::server = nullptr;

TEST_F(RedisStoreTest, OneRoundTripPerReadAndPerApply) {
  auto store = RedisStore::open(server->url());
  const auto now = system_now();
  // A batch of 64 listings from 64 sellers, three updates each.
  std::vector<EntityKey> keys;
  std::vector<StateUpdate> updates;
  for (int i = 0; i < 64; ++i) {
    EntityKey k{"wildlife", "seller", "u-" + std::to_string(i)};
    keys.push_back(k);
    updates.push_back({k, Kind::kAdd, "listings", "", now, 1, now + 3600});
    updates.push_back({k, Kind::kSee, "sites", "ebay", now, 0, now + 3600});
    updates.push_back({k, Kind::kAdd, "offers", "", now, 1, now + 3600});
  }
  const auto before = store->round_trips();
  store->read(keys);
  EXPECT_EQ(store->round_trips() - before, 1u);
  store->apply(updates);
  EXPECT_EQ(store->round_trips() - before, 2u);
  const auto states = store->read(keys);
  EXPECT_EQ(store->round_trips() - before, 3u);
  for (const auto& s : states) EXPECT_EQ(s.buckets.size(), 2u);
  // A script flushed from the server costs one more request, once, and nothing is lost.
  freeReplyObject(command({"SCRIPT", "FLUSH"}));
  store->apply(updates);
  EXPECT_EQ(store->round_trips() - before, 5u);
  store->apply(updates);
  EXPECT_EQ(store->round_trips() - before, 6u);
  EXPECT_EQ(store->read({keys[0]})[0].buckets[0].count, 3);
}

TEST_F(RedisStoreTest, TwoClientsOnOneKeyLoseNoIncrement) {
  auto a = RedisStore::open(server->url());
  auto b = RedisStore::open(server->url());
  const auto now = system_now();
  const EntityKey k{"wildlife", "seller", "hot"};
  constexpr int kBatches = 300;
  auto work = [&](RedisStore& s, const std::string& site) {
    for (int i = 0; i < kBatches; ++i) {
      s.apply({{k, Kind::kAdd, "listings", "", now, 1, now + 3600},
               {k, Kind::kAdd, "listings", "", now, 2, now + 3600},
               {k, Kind::kSee, "sites", site, now + i, 0, now + 3600},
               {k, Kind::kLabel, "busy", site, now + i, 0, now + 3600}});
    }
  };
  std::thread ta(work, std::ref(*a), "a"), tb(work, std::ref(*b), "b");
  ta.join();
  tb.join();
  const auto s = a->read({k})[0];
  ASSERT_EQ(s.buckets.size(), 1u);
  EXPECT_EQ(s.buckets[0].count, 2 * 3 * kBatches);
  ASSERT_EQ(s.seen.size(), 2u);
  EXPECT_EQ(s.seen[0].last, now + kBatches - 1);
  EXPECT_EQ(s.seen[1].last, now + kBatches - 1);
  ASSERT_EQ(s.labels.size(), 1u);
  EXPECT_EQ(s.labels[0].until, now + kBatches - 1);
}

TEST_F(RedisStoreTest, KeysExpireWithTheirLatestItemAndExpiredFieldsArePruned) {
  auto clock = std::make_shared<std::atomic<std::int64_t>>(system_now());
  const auto t0 = clock->load();
  auto store = RedisStore::open(
      server->url(), RedisOptions{std::chrono::milliseconds(2000), [clock] { return clock->load(); }});
  const EntityKey k{"wildlife", "seller", "u-1"};
  store->apply({{k, Kind::kAdd, "listings", "", t0, 1, t0 + 100},
                {k, Kind::kAdd, "listings", "", t0 + 60, 1, t0 + 5000}});
  const auto h = "tusk:e:" + encode_key(k);
  EXPECT_EQ(integer({"HLEN", h}), 2);
  const auto ttl = integer({"TTL", h});
  EXPECT_GT(ttl, 4000);
  EXPECT_LE(ttl, 5000);
  // Once the first bucket has expired, the next write to the entity removes its field.
  clock->store(t0 + 200);
  store->apply({{k, Kind::kSee, "sites", "ebay", t0 + 200, 0, t0 + 300}});
  EXPECT_EQ(integer({"HLEN", h}), 2);  // the live bucket and the new value
  EXPECT_EQ(integer({"EXISTS", h}), 1);
  // An item that never expires (expires 0) makes the key persistent.
  store->apply({{k, Kind::kLabel, "watch", "operator", t0 + 10, 0, 0}});
  EXPECT_EQ(integer({"TTL", h}), -1);
  // Unlabelling it gives the key its expiry back.
  store->apply({{k, Kind::kUnlabel, "watch", "", 0, 0, 0}});
  EXPECT_GT(integer({"TTL", h}), 0);
  // Everything expired: the entity's key and its index entries go.
  clock->store(t0 + 6000);
  const EntityKey other{"wildlife", "seller", "u-2"};
  store->apply(
      {{k, Kind::kUnlabel, "none", "", 0, 0, 0}, {other, Kind::kAdd, "listings", "", t0, 1, t0 + 9000}});
  EXPECT_EQ(integer({"EXISTS", h}), 0);
  EXPECT_EQ(integer({"ZCARD", "tusk:i:wildlife"}), 1);
  EXPECT_EQ(integer({"ZCARD", "tusk:x:wildlife"}), 1);
}

TEST_F(RedisStoreTest, ReconnectsAfterTheServerDroppedTheConnection) {
  auto store = RedisStore::open(server->url());
  const EntityKey k{"wildlife", "seller", "u-1"};
  const auto now = system_now();
  store->apply({{k, Kind::kAdd, "listings", "", now, 1, now + 100}});
  freeReplyObject(command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}));
  // The first call after the drop fails (the caller fails that batch); the next one reconnects.
  bool failed = false;
  try {
    store->read({k});
  } catch (const StateError&) {
    failed = true;
  }
  const auto s = store->read({k})[0];
  EXPECT_EQ(s.buckets.at(0).count, 1) << "failed first: " << failed;
}

TEST_F(RedisStoreTest, DatabaseNumberIsUsed) {
  auto store = RedisStore::open(server->url(3));
  EXPECT_EQ(store->describe(), server->url(3));
  const EntityKey k{"wildlife", "seller", "u-1"};
  const auto now = system_now();
  store->apply({{k, Kind::kAdd, "listings", "", now, 1, now + 100}});
  EXPECT_EQ(integer({"EXISTS", "tusk:e:" + encode_key(k)}), 0);  // not in db 0
  freeReplyObject(command({"SELECT", "3"}));
  EXPECT_EQ(integer({"EXISTS", "tusk:e:" + encode_key(k)}), 1);
}

TEST(RedisUrl, ParsesAndRejectsWithStableMessages) {
  auto a = parse_redis_url("redis://127.0.0.1:6390/2");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 6390);
  EXPECT_EQ(a.db, 2);
  a = parse_redis_url("redis://cache.internal");
  EXPECT_EQ(a.port, 6379);
  EXPECT_EQ(a.db, 0);
  auto message = [](std::string_view url) {
    try {
      parse_redis_url(url);
    } catch (const StateError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("redis://h:0"), "--state redis://h:0: the port must be a number from 1 to 65535");
  EXPECT_EQ(message("redis://h:x/1"), "--state redis://h:x/1: the port must be a number from 1 to 65535");
  EXPECT_EQ(message("redis://h:1/db"), "--state redis://h:1/db: the database after '/' must be a number");
  EXPECT_EQ(message("redis://:1"), "--state redis://:1: no host");
  EXPECT_EQ(message("redis://u:pw@h:1"), "--state redis://u:pw@h:1: passwords in the URL are not supported");
}

TEST(RedisUrl, ConnectionRefusedIsAStateError) {
  // Port 1 on loopback: nothing listens there.
  try {
    RedisStore::open("redis://127.0.0.1:1");
    FAIL() << "connected to port 1";
  } catch (const StateError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to redis://127.0.0.1:1/0"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tusk::accounts
