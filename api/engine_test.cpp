// Hot reload (tusk/engine.h): 100 swaps while two threads scan. Every listing gets exactly one
// verdict, from a pack that was current at some moment during its scan, and the digest a
// thread sees changes only at reload boundaries. Compiles on several threads at once share the
// caches safely. scripts/sanitize tsan runs these under TSan.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tusk/engine.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

CompileOptions options() {
  CompileOptions o;
  o.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  o.backend = Backend::kInterp;
  return o;
}

// Two packs that decide the same listing differently, so a verdict shows which pack made it.
std::shared_ptr<const Pack> pack_deciding(const char* action) {
  const std::string source = fmt::format(
      "pack reload.demo version \"1\"\nlexicon w {{ \"ivory\" }}\nrule r {{ when text mentions w  score 10 "
      "}}\n"
      "decide {{ {} when r  allow otherwise }}\n",
      action);
  CompileResult r = Pack::compile_sources({{"main.tusk", source}}, "main.tusk", options());
  EXPECT_TRUE(r.pack) << r.rendered;
  return r.pack;
}

TEST(EngineConcurrency, HundredReloadsDuringTwoThreadScan) {
  const auto review = pack_deciding("review");
  const auto block = pack_deciding("block");
  ASSERT_TRUE(review && block);
  ASSERT_NE(review->info().digest, block->info().digest);
  Engine engine(review);
  // Generation g (starting at 1) holds `review` when g is odd: the reloader alternates.
  const auto digest_at = [&](std::uint64_t g) { return (g % 2 == 1 ? review : block)->info().digest; };

  constexpr int kReloads = 100;
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> scans_done[2] = {0, 0};
  struct Seen {
    std::uint64_t scans = 0, failures = 0, inconsistent = 0, switches = 0;
    std::uint64_t last_generation = 0;  // current after the thread's last scan
  };
  std::vector<Seen> seen(2);
  auto scan_loop = [&](int t) {
    EngineScanner scanner(engine);
    std::string last;
    Verdict v;
    // Run at least until the reloads are over, so every reload lands during scanning; the last
    // scan starts after the last reload (checking `done` only before a scan would let a thread
    // end on a scan that ran before the final reloads).
    for (std::uint64_t i = 0;; ++i) {
      const bool last_scan = done.load(std::memory_order_acquire) && i >= 100;
      const std::string id = fmt::format("{}-{}", t, i);
      const std::uint64_t before = engine.generation();
      scanner.scan(fmt::format(R"({{"id":"{}","title":"ivory {}"}})", id, i), v);
      const std::uint64_t after = engine.generation();
      Seen& s = seen[t];
      ++s.scans;
      if (!v.ok || v.id != id) ++s.failures;
      // The deciding pack was current at some generation in [before, after].
      bool possible = false;
      for (std::uint64_t g = before; g <= after; ++g) possible = possible || digest_at(g) == v.pack.digest;
      const Action expected = v.pack.digest == review->info().digest ? Action::kReview : Action::kBlock;
      if (!possible || v.action != expected) ++s.inconsistent;
      if (!last.empty() && last != v.pack.digest) {
        ++s.switches;
        if (before == after && digest_at(before) != v.pack.digest) ++s.inconsistent;
      }
      last = v.pack.digest;
      s.last_generation = after;
      scans_done[t].fetch_add(1, std::memory_order_release);
      if (last_scan) break;
    }
  };
  std::thread a(scan_loop, 0), b(scan_loop, 1);
  // Each reload waits until both threads have started a scan since the one before (two scans
  // finished: the one under way, then one begun after it), so every reload lands while both are
  // scanning and each sees it. Timing alone did not ensure that: under ASan on two cores a thread
  // was once descheduled through all 100 reloads and, the last pack being the first, saw none.
  // The wait is bounded, so a stuck thread fails the assertions below instead of hanging.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int r = 0; r < kReloads; ++r) {
    const std::uint64_t from[2] = {scans_done[0].load(std::memory_order_acquire),
                                   scans_done[1].load(std::memory_order_acquire)};
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    while ((scans_done[0].load(std::memory_order_acquire) < from[0] + 2 ||
            scans_done[1].load(std::memory_order_acquire) < from[1] + 2) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    engine.swap(r % 2 == 0 ? block : review);
  }
  done.store(true, std::memory_order_release);
  a.join();
  b.join();
  EXPECT_EQ(engine.generation(), 1u + kReloads);
  for (const Seen& s : seen) {
    // Scanning went on until every reload had happened. (The number of scans says nothing:
    // under TSan all 100 reloads may fall within a thread's first 100 scans.)
    EXPECT_EQ(s.last_generation, 1u + kReloads);
    EXPECT_EQ(s.failures, 0u);
    EXPECT_EQ(s.inconsistent, 0u);
    EXPECT_GE(s.switches, 1u);                       // reloads were seen while scanning
    EXPECT_LE(s.switches, std::uint64_t{kReloads});  // and never more often than they happened
  }
}

TEST(EngineConcurrency, FailedReloadKeepsThePack) {
  const auto review = pack_deciding("review");
  Engine engine(review);
  const auto dir = std::filesystem::temp_directory_path() / "tusk_engine_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.tusk") << "pack bad version \"1\"\nrule r { when text mentions nope  score 1 }\n";
  CompileResult r = engine.reload((dir / "bad.tusk").string(), options());
  EXPECT_FALSE(r.pack);
  EXPECT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(engine.generation(), 1u);
  EXPECT_EQ(engine.pack(), review);
  std::ofstream(dir / "good.tusk")
      << "pack good version \"2\"\nlexicon w { \"ivory\" }\n"
         "rule r { when text mentions w  score 1 }\ndecide { block when r  allow otherwise }\n";
  EngineScanner scanner(engine);
  EXPECT_EQ(scanner.scan(R"({"title":"ivory"})").action, Action::kReview);
  r = engine.reload((dir / "good.tusk").string(), options());
  ASSERT_TRUE(r.pack) << r.rendered;
  EXPECT_EQ(engine.generation(), 2u);
  const Verdict v = scanner.scan(R"({"title":"ivory"})");
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_EQ(v.pack.name, "good");
}

// Reloads in a service may compile on several threads at once: the process-wide lexicon file
// cache and the on-disk artifact cache are shared by them. Three threads compile the ivory
// example pack (stdlib lexicon files, two pattern databases) into one fresh cache directory at
// once; every compile succeeds with the same digest and the same verdicts. Run under TSan too.
TEST(EngineConcurrency, ConcurrentCompilesShareTheCaches) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tusk_engine_caches_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  CompileOptions o = options();
  o.cache_dir = dir.string();
  const std::string pack_dir = std::string(TUSK_SOURCE_DIR) + "/examples/packs/ivory";
  const std::string listing =
      R"({"id":"c","title":"Carved white plastic bangle, 120g","category":"antiques"})";
  constexpr int kThreads = 3;
  std::vector<std::string> digests(kThreads), verdicts(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2; ++round) {  // the second round hits what the first stored
        CompileResult r = Pack::compile(pack_dir, o);
        if (!r.pack) return;
        Scanner scanner(r.pack);
        digests[t] = r.pack->info().digest;
        verdicts[t] = to_json(scanner.scan(listing));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_FALSE(digests[t].empty()) << "thread " << t << " failed to compile";
    EXPECT_EQ(digests[t], digests[0]);
    EXPECT_EQ(verdicts[t], verdicts[0]);
  }
  EXPECT_NE(verdicts[0].find("\"action\":\"block\""), std::string::npos) << verdicts[0];
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tusk
