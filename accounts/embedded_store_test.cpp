// What only the embedded store promises: state survives a reopen, a directory keeps its engine
// and refuses a second process, the sweep purges expired entities, and a writer killed with
// SIGKILL loses no batch whose apply() returned (for each engine and both durability modes).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "accounts/embedded_store.h"
#include "accounts/open_state.h"

namespace tusk::accounts {
namespace {

namespace fs = std::filesystem;
using Kind = StateUpdate::Kind;

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("tusk-embedded-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

class EmbeddedEngines : public ::testing::TestWithParam<KvKind> {};

TEST_P(EmbeddedEngines, StateSurvivesAReopenAndTheDirectoryKeepsItsEngine) {
  TempDir dir(kv_kind_name(GetParam()));
  const auto now = system_now();
  const EntityKey k{"wildlife", "seller", "u-1"};
  {
    EmbeddedOptions o;
    o.engine = GetParam();
    auto s = open_embedded(dir.path.string(), o);
    s->apply({{k, Kind::kAdd, "listings", "", now, 3, now + 100},
              {k, Kind::kLabel, "suspect", "why", now + 50, 0, now + 50}});
    // The directory is one process's: a second open fails, saying what to do.
    try {
      open_embedded(dir.path.string(), o);
      FAIL() << "opened twice";
    } catch (const StateError& e) {
      EXPECT_NE(std::string(e.what()).find("is in use by another process"), std::string::npos) << e.what();
    }
  }
  EmbeddedOptions other;
  other.engine =
      GetParam() == KvKind::kSqlite ? KvKind::kLmdb : KvKind::kSqlite;  // ignored: the directory says
  auto s = open_embedded(dir.path.string(), other);
  EXPECT_EQ(s->engine(), GetParam());
  const auto st = s->read({k})[0];
  ASSERT_EQ(st.buckets.size(), 1u);
  EXPECT_EQ(st.buckets[0].count, 3);
  ASSERT_EQ(st.labels.size(), 1u);
  EXPECT_EQ(st.labels[0].reason, "why");
}

TEST_P(EmbeddedEngines, SweepPurgesExpiredState) {
  TempDir dir(std::string("sweep-") + kv_kind_name(GetParam()));
  auto clock = std::make_shared<std::int64_t>(system_now());
  const auto t0 = *clock;
  EmbeddedOptions o;
  o.engine = GetParam();
  o.now = [clock] { return *clock; };
  o.sweep_interval = std::chrono::milliseconds(0);
  auto s = open_embedded(dir.path.string(), o);
  std::vector<StateUpdate> ups;
  for (int i = 0; i < 3000; ++i) {  // more than one sweep page
    const EntityKey k{"wildlife", "seller", "u-" + std::to_string(i)};
    ups.push_back({k, Kind::kAdd, "listings", "", t0, 1, i % 2 ? t0 + 100 : t0 + 1000});
    if (i % 3 == 0) ups.push_back({k, Kind::kAdd, "listings", "", t0 + 60, 1, t0 + 1000});
  }
  s->apply(ups);
  EXPECT_EQ(s->sweep(), 0u);
  *clock = t0 + 500;
  // Odd ids expire; of those, the multiples of 3 keep their second bucket (rewritten), the rest go.
  const auto changed = s->sweep();
  EXPECT_EQ(changed, 1500u);
  EXPECT_EQ(s->sweep(), 0u);
  EXPECT_EQ(s->list("wildlife", "seller", "", 10000).size(), 1500u + 500u);
  *clock = t0 + 2000;
  EXPECT_EQ(s->sweep(), 2000u);
  EXPECT_TRUE(s->list("wildlife", "", "", 10).empty());
}

TEST_P(EmbeddedEngines, ASmallCacheEvictsAndStaysCorrect) {
  TempDir dir(std::string("cache-") + kv_kind_name(GetParam()));
  EmbeddedOptions o;
  o.engine = GetParam();
  o.cache_entities = 8;
  auto s = open_embedded(dir.path.string(), o);
  const auto now = system_now();
  auto key = [](int i) { return EntityKey{"wildlife", "seller", "u-" + std::to_string(i)}; };
  // Three rounds over 100 entities through an 8-entity cache: each increment lands on a value
  // that was evicted, read back from the engine, or still cached; all must count.
  for (int round = 0; round < 3; ++round) {
    for (int first = 0; first < 100; first += 10) {
      std::vector<EntityKey> keys;
      std::vector<StateUpdate> ups;
      for (int i = first; i < first + 10; ++i) {
        keys.push_back(key(i));
        ups.push_back({key(i), Kind::kAdd, "listings", "", now, i + 1, now + 100});
      }
      s->read(keys);
      s->apply(ups);
    }
  }
  for (int i = 0; i < 100; ++i) {
    const auto st = s->read({key(i)})[0];
    ASSERT_EQ(st.buckets.size(), 1u) << i;
    EXPECT_EQ(st.buckets[0].count, 3 * (i + 1)) << i;
  }
}

TEST_P(EmbeddedEngines, ConcurrentReadsThatEvictDoNotDisturbApplies) {
  TempDir dir(std::string("evict-") + kv_kind_name(GetParam()));
  EmbeddedOptions o;
  o.engine = GetParam();
  o.cache_entities = 4;
  o.save_entities = 3;  // a save after every batch, beside the reads and the next applies
  auto s = open_embedded(dir.path.string(), o);
  const auto now = system_now();
  auto key = [](const std::string& p, int i) {
    return EntityKey{"wildlife", "seller", p + std::to_string(i)};
  };
  std::atomic<bool> done{false};
  // A reader sweeping 200 other entities keeps evicting what the writer has cached.
  std::thread reader([&] {
    while (!done.load()) {
      for (int i = 0; i < 200; i += 8) {
        std::vector<EntityKey> keys;
        for (int j = i; j < i + 8; ++j) keys.push_back(key("r-", j));
        s->read(keys);
      }
    }
  });
  for (int round = 0; round < 200; ++round) {
    std::vector<StateUpdate> ups;
    ups.reserve(6);
    for (int i = 0; i < 6; ++i) ups.push_back({key("w-", i), Kind::kAdd, "listings", "", now, 1, now + 100});
    s->apply(ups);
  }
  done = true;
  reader.join();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(s->read({key("w-", i)})[0].buckets.at(0).count, 200) << i;
}

// The writer: batch i adds 1 to counter "n" (bucket 0) of 64 entities and 1 to bucket i of
// entity "log", then reports i on the pipe — only after apply() returned.
[[noreturn]] void writer(const std::string& dir, KvKind kind, EmbeddedOptions::Durability durability,
                         std::size_t save_entities, int fd) {
  EmbeddedOptions o;
  o.engine = kind;
  o.durability = durability;
  o.save_entities = save_entities;
  auto s = open_embedded(dir, o);
  const auto far = system_now() + 86400;
  for (std::int64_t i = 0;; ++i) {
    std::vector<StateUpdate> ups;
    ups.reserve(64);
    for (int e = 0; e < 64; ++e) {
      ups.push_back({{"w", "seller", "u-" + std::to_string(e)}, Kind::kAdd, "n", "", 0, 1, far});
    }
    ups.push_back({{"w", "seller", "log"}, Kind::kAdd, "batches", "", i, 1, far});
    s->apply(ups);
    if (::write(fd, &i, sizeof i) != sizeof i) ::_exit(3);
  }
}

struct CrashCase {
  KvKind kind;
  EmbeddedOptions::Durability durability;
  // 65 (a batch's entities): a save of the log into the engine after nearly every batch, so the
  // kill lands in a save as often as not; the default saves only at the end.
  std::size_t save_entities = EmbeddedOptions{}.save_entities;
};

class CrashSafety : public ::testing::TestWithParam<CrashCase> {};

TEST_P(CrashSafety, KillNineLosesNoReturnedBatch) {
  const auto [kind, durability, save_entities] = GetParam();
  TempDir dir(std::string("crash-") + kv_kind_name(kind) + std::to_string(static_cast<int>(durability)) +
              "-" + std::to_string(save_entities));
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipefd[0]);
    writer(dir.path.string(), kind, durability, save_entities, pipefd[1]);
  }
  ::close(pipefd[1]);
  // Let it write at least 200 batches (bounded: 60 s), then kill it mid-run.
  std::int64_t acked = -1, i = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (acked < 200 && std::chrono::steady_clock::now() < deadline &&
         ::read(pipefd[0], &i, sizeof i) == sizeof i) {
    acked = i;
  }
  ::kill(child, SIGKILL);
  while (::read(pipefd[0], &i, sizeof i) == sizeof i) acked = i;  // what it reported before dying
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer ended on its own: " << status;
  ASSERT_GE(acked, 200) << "the writer was too slow to test";

  auto s = open_embedded(dir.path.string());
  const auto log = s->read({{"w", "seller", "log"}})[0];
  std::set<std::int64_t> batches;
  for (const auto& b : log.buckets) {
    EXPECT_EQ(b.count, 1);
    batches.insert(b.start);
  }
  for (std::int64_t b = 0; b <= acked; ++b) {
    ASSERT_TRUE(batches.count(b)) << "batch " << b << " returned but is lost";
  }
  // A batch is atomic: the 64 counters agree with the number of batches that made it.
  const auto applied = static_cast<std::int64_t>(batches.size());
  EXPECT_LE(applied, acked + 2);  // at most the one in flight when it died
  for (int e = 0; e < 64; ++e) {
    const auto st = s->read({{"w", "seller", "u-" + std::to_string(e)}})[0];
    ASSERT_EQ(st.buckets.size(), 1u);
    EXPECT_EQ(st.buckets[0].count, applied) << "seller u-" << e;
  }
}

std::string engine_name(const ::testing::TestParamInfo<KvKind>& info) { return kv_kind_name(info.param); }

INSTANTIATE_TEST_SUITE_P(Engines, EmbeddedEngines,
                         ::testing::Values(KvKind::kRocksDb, KvKind::kLmdb, KvKind::kSqlite), engine_name);
INSTANTIATE_TEST_SUITE_P(
    Engines, CrashSafety,
    ::testing::Values(CrashCase{KvKind::kRocksDb, EmbeddedOptions::Durability::kGroupCommit},
                      CrashCase{KvKind::kRocksDb, EmbeddedOptions::Durability::kSyncEachApply},
                      CrashCase{KvKind::kLmdb, EmbeddedOptions::Durability::kGroupCommit},
                      CrashCase{KvKind::kSqlite, EmbeddedOptions::Durability::kGroupCommit},
                      CrashCase{KvKind::kRocksDb, EmbeddedOptions::Durability::kGroupCommit, 65},
                      CrashCase{KvKind::kLmdb, EmbeddedOptions::Durability::kGroupCommit, 65}),
    [](const auto& info) {
      return std::string(kv_kind_name(info.param.kind)) +
             (info.param.durability == EmbeddedOptions::Durability::kGroupCommit ? "_group_commit"
                                                                                 : "_sync_each") +
             (info.param.save_entities == 65 ? "_saving" : "");
    });

// A process that dies without closing the store (as if killed): `body` runs in a child that
// then _exit()s, so nothing but what apply() and forget() returned having written is on disk.
template <typename Body>
void in_dying_child(Body body) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      body();
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_P(EmbeddedEngines, TheLogReplaysAfterADeathAndAForgetStaysForgotten) {
  TempDir dir(std::string("replay-") + kv_kind_name(GetParam()));
  const auto now = system_now();
  const EntityKey kept{"wildlife", "seller", "kept"}, gone{"wildlife", "seller", "gone"},
      back{"wildlife", "seller", "back"};
  in_dying_child([&] {
    EmbeddedOptions o;
    o.engine = GetParam();
    auto s = open_embedded(dir.path.string(), o);
    s->apply({{kept, Kind::kAdd, "listings", "", now, 2, now + 100},
              {gone, Kind::kAdd, "listings", "", now, 1, now + 100},
              {back, Kind::kAdd, "listings", "", now, 1, now + 100}});
    s->save();  // in the engine, and then changed again in the log only
    s->apply({{kept, Kind::kAdd, "listings", "", now, 3, now + 100},
              {gone, Kind::kAdd, "listings", "", now, 1, now + 100},
              {back, Kind::kAdd, "listings", "", now, 1, now + 100}});
    if (!s->forget(gone) || !s->forget(back)) ::_exit(3);
    s->apply({{back, Kind::kAdd, "listings", "", now, 7, now + 100}});
    std::_Exit(0);  // no destructor: the store is not closed
  });
  // A record cut off at the end of the log, as a death in the middle of write() leaves it: not
  // acknowledged, so skipped.
  std::vector<fs::path> segments;
  for (const auto& e : fs::directory_iterator(dir.path / "log")) segments.push_back(e.path());
  ASSERT_FALSE(segments.empty());
  std::sort(segments.begin(), segments.end());
  std::ofstream(segments.back(), std::ios::app | std::ios::binary) << std::string("\x40\0\0\0partial", 11);

  EmbeddedOptions o;
  o.engine = GetParam();
  auto s = open_embedded(dir.path.string(), o);
  const auto states = s->read({kept, gone, back});
  ASSERT_EQ(states[0].buckets.size(), 1u);
  EXPECT_EQ(states[0].buckets[0].count, 5);
  EXPECT_TRUE(states[1].buckets.empty()) << "a forgotten entity came back";
  ASSERT_EQ(states[2].buckets.size(), 1u);
  EXPECT_EQ(states[2].buckets[0].count, 7) << "only what was written after forget() counts";
  EXPECT_EQ(s->list("wildlife", "seller", "", 10).size(), 2u);
}

TEST(EmbeddedFormat, AVersionOneDirectoryOpensAndAnUnknownOneIsRefused) {
  TempDir dir("format");
  const auto now = system_now();
  const EntityKey k{"wildlife", "seller", "u-1"};
  {
    auto s = open_embedded(dir.path.string());
    s->apply({{k, Kind::kAdd, "listings", "", now, 4, now + 100}});
  }
  // What the previous version wrote: the same engine files, no log, FORMAT version 1.
  fs::remove_all(dir.path / "log");
  std::ofstream(dir.path / "FORMAT", std::ios::trunc) << "tusk-account-state 1\nrocksdb\n";
  {
    auto s = open_embedded(dir.path.string());
    ASSERT_EQ(s->read({k})[0].buckets.size(), 1u);
    EXPECT_EQ(s->read({k})[0].buckets[0].count, 4);
  }
  std::ifstream in(dir.path / "FORMAT");
  std::string magic;
  std::getline(in, magic);
  EXPECT_EQ(magic, "tusk-account-state 2");  // a version that reads only 1 now refuses it

  std::ofstream(dir.path / "FORMAT", std::ios::trunc) << "tusk-account-state 3\nrocksdb\n";
  try {
    open_embedded(dir.path.string());
    FAIL() << "opened a format from a later version";
  } catch (const StateError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "account state: " + dir.path.string() +
            " has a state format this version cannot read (FORMAT says 'tusk-account-state 3'; this "
            "version reads tusk-account-state 1 and 2): open it with the Tusk that wrote it, or start a "
            "new directory");
  }
}

TEST(OpenState, NamesEachStoreAndRejectsBadSpecsClearly) {
  TempDir dir("open");
  EXPECT_EQ(open_state("memory")->describe(), "memory");
  EXPECT_EQ(open_state(dir.path.string())->describe(), "dir:" + dir.path.string());
  EXPECT_EQ(open_state("dir:" + dir.path.string())->describe(), "dir:" + dir.path.string());
  auto message = [](std::string_view spec) {
    try {
      open_state(spec);
    } catch (const StateError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(""), "--state: expected memory, a directory or redis://HOST[:PORT][/DB]");
  EXPECT_EQ(message("dir:"), "--state dir:: no directory after 'dir:'");
  EXPECT_EQ(message("rediss://h"),
            "--state rediss://h: unknown scheme 'rediss' (expected memory, a directory or "
            "redis://HOST[:PORT][/DB])");
  // A directory with other files in it is not taken over.
  TempDir busy("busy");
  fs::create_directories(busy.path);
  std::ofstream(busy.path / "notes.txt") << "mine";
  EXPECT_EQ(message(busy.path.string()), "account state: " + busy.path.string() +
                                             " is not empty and is not a state directory (no FORMAT file)");
}

}  // namespace
}  // namespace tusk::accounts
