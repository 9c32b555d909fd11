// Account state per listing: which embedded engine, and what Redis costs (docs/accounts.md,
// docs/performance.md). The pattern of the engine (issue #15): per batch of 64 listings, ONE
// read() of the 64 sellers' state and ONE apply() of their updates — 2 or 3 per listing (an
// hourly listings bucket, the site seen, and every other listing a "flagged" bucket) — over
// 100,000 distinct sellers, all already known (steady state), drawn at random.
//   cmake --build build --target state_bench
//   build/bin/state_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// `us_per_listing` is wall time per listing (the store waits on fsync and on Redis, so CPU time
// alone would hide the cost); `cpu_us_per_listing` is the CPU of the whole process (the store's
// background threads included) per listing, which the machine's load does not inflate.
// Directories go under $TUSK_BENCH_DIR (default: the system temp dir), which must be a real disk
// for the fsync figures to mean anything.
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <unistd.h>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "accounts/embedded_store.h"
#include "accounts/redis_store.h"
#include "accounts/redis_test_server.h"

namespace {

using namespace tusk;
using namespace tusk::accounts;
namespace fs = std::filesystem;

constexpr int kBatch = 64;
constexpr int kSellers = 100'000;

EntityKey seller(int i) { return {"wildlife", "seller", "s-" + std::to_string(i)}; }

// Time spent in read() and in apply(), microseconds, over a run.
struct Split {
  double read = 0, apply = 0;
};

// One batch's calls, exactly as the engine makes them.
void one_batch(StateStore& store, std::mt19937& rng, std::int64_t now, Split& split) {
  std::uniform_int_distribution<int> pick(0, kSellers - 1);
  std::vector<EntityKey> keys;
  keys.reserve(kBatch);
  for (int i = 0; i < kBatch; ++i) keys.push_back(seller(pick(rng)));
  auto t0 = std::chrono::steady_clock::now();
  auto states = store.read(keys);
  benchmark::DoNotOptimize(states);
  auto t1 = std::chrono::steady_clock::now();
  split.read += std::chrono::duration<double, std::micro>(t1 - t0).count();
  std::vector<StateUpdate> ups;
  ups.reserve(static_cast<std::size_t>(kBatch) * 3);
  const auto hour = now / 3600 * 3600;
  for (int i = 0; i < kBatch; ++i) {
    ups.push_back({keys[i], StateUpdate::Kind::kAdd, "listings", "", hour, 1,
                   hour + static_cast<std::int64_t>(25) * 3600});
    ups.push_back({keys[i], StateUpdate::Kind::kSee, "sites", i % 3 ? "ebay" : "etsy", now, 0,
                   now + static_cast<std::int64_t>(30) * 86400});
    if (i % 2) {
      ups.push_back({keys[i], StateUpdate::Kind::kAdd, "flagged", "", hour, 1,
                     hour + static_cast<std::int64_t>(25) * 3600});
    }
  }
  t0 = std::chrono::steady_clock::now();
  store.apply(ups);
  split.apply += std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

void populate(StateStore& store) {
  const auto now = system_now();
  for (int first = 0; first < kSellers; first += 1000) {
    std::vector<StateUpdate> ups;
    for (int i = first; i < first + 1000 && i < kSellers; ++i) {
      ups.push_back(
          {seller(i), StateUpdate::Kind::kAdd, "listings", "", now / 3600 * 3600 - 3600, 1, now + 86400});
    }
    store.apply(ups);
  }
}

fs::path bench_root() {
  const char* env = std::getenv("TUSK_BENCH_DIR");
  return fs::path(env ? env : fs::temp_directory_path().string()) /
         ("tusk-state-bench-" + std::to_string(::getpid()));
}

// Stores live for the whole program: populating 100k sellers once per configuration.
std::shared_ptr<StateStore> embedded(KvKind kind, EmbeddedOptions::Durability d) {
  static std::map<std::pair<KvKind, EmbeddedOptions::Durability>, std::shared_ptr<StateStore>> stores;
  auto& s = stores[{kind, d}];
  if (!s) {
    EmbeddedOptions o;
    o.engine = kind;
    o.durability = d;
    if (kind == KvKind::kMemory) {
      s = make_memory_store(o);
    } else {
      const auto dir = bench_root() / (std::string(kv_kind_name(kind)) +
                                       (d == EmbeddedOptions::Durability::kGroupCommit ? "-gc" : "-sync"));
      fs::remove_all(dir);
      s = open_embedded(dir.string(), o);
    }
    populate(*s);
  }
  return s;
}

// CPU time of the whole process (every thread: the store's background flushes and compactions
// too), microseconds.
double process_cpu_us() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return (static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

void run(benchmark::State& state, StateStore& store) {
  std::mt19937 rng(42);
  const auto now = system_now();
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_us();
  Split split;
  for (auto _ : state) one_batch(store, rng, now, split);
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
  const double listings = static_cast<double>(state.iterations()) * kBatch;
  state.counters["us_per_listing"] = took.count() / listings;
  // Wall time moves with the machine's load (other processes take the CPU); the CPU the store
  // costs, in every thread, does not: both are recorded.
  state.counters["cpu_us_per_listing"] = (process_cpu_us() - cpu_start) / listings;
  state.counters["read_us"] = split.read / listings;
  state.counters["apply_us"] = split.apply / listings;
}

void BM_Embedded(benchmark::State& state, KvKind kind, EmbeddedOptions::Durability d) {
  auto store = embedded(kind, d);
  run(state, *store);
}

// Started on first use, stopped by main() before it returns.
std::unique_ptr<testing::RedisTestServer> g_redis;

void BM_Redis(benchmark::State& state) {
  static std::shared_ptr<RedisStore> store;
  if (!store) {
    g_redis = std::make_unique<testing::RedisTestServer>();
    if (!g_redis->start()) {
      state.SkipWithError("redis-server is not installed or did not start");
      return;
    }
    store = RedisStore::open(g_redis->url());
    populate(*store);
  }
  const auto before = store->round_trips();
  run(state, *store);
  state.counters["requests_per_listing"] =
      static_cast<double>(store->round_trips() - before) / (static_cast<double>(state.iterations()) * kBatch);
}

// The machine's price of one random lookup among 100k entities (a std::unordered_map of
// strings): every store here pays a few of them per listing, so this is the yardstick the
// per-listing figures are read against (docs/performance.md).
void BM_MachineHashLookup(benchmark::State& state) {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string, std::string>;
    for (int i = 0; i < kSellers; ++i) {
      (*m)["wildlife\x1fseller\x1fs-" + std::to_string(i)] = std::string(60, 'x');
    }
    return m;
  }();
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pick(0, kSellers - 1);
  // 64k keys drawn over all 100k entries, so the lookups are as random as the stores' are.
  std::vector<std::string> keys;
  keys.reserve(65536);
  for (int i = 0; i < 65536; ++i) keys.push_back("wildlife\x1fseller\x1fs-" + std::to_string(pick(rng)));
  std::size_t i = 0, sum = 0;
  for (auto _ : state) sum += map->find(keys[i++ & 65535])->second.size();
  benchmark::DoNotOptimize(sum);
}

using D = EmbeddedOptions::Durability;
BENCHMARK(BM_MachineHashLookup);
BENCHMARK_CAPTURE(BM_Embedded, rocksdb_sync_each_batch, KvKind::kRocksDb, D::kSyncEachApply)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, rocksdb_group_commit, KvKind::kRocksDb, D::kGroupCommit)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, lmdb_sync_each_batch, KvKind::kLmdb, D::kSyncEachApply)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, lmdb_group_commit, KvKind::kLmdb, D::kGroupCommit)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, sqlite_sync_each_batch, KvKind::kSqlite, D::kSyncEachApply)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, sqlite_group_commit, KvKind::kSqlite, D::kGroupCommit)->UseRealTime();
BENCHMARK_CAPTURE(BM_Embedded, memory, KvKind::kMemory, D::kGroupCommit)->UseRealTime();
BENCHMARK(BM_Redis)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_redis.reset();
  std::error_code ec;
  fs::remove_all(bench_root(), ec);
  return 0;
}
