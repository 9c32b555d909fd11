// The worker's Prometheus metrics (text exposition format 0.0.4), kept in lock-free counters on
// the message path. Consumer lag is computed when scraped (see Worker::render_metrics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "tusk/verdict.h"

namespace tusk::stream {

class Metrics {
 public:
  void consumed() { consumed_.fetch_add(1, std::memory_order_relaxed); }
  void verdict(const Verdict& v) {
    actions_[v.ok ? static_cast<int>(v.action) : 3].fetch_add(1, std::memory_order_relaxed);
  }
  void dead_letter() { dead_letters_.fetch_add(1, std::memory_order_relaxed); }
  void delivered(bool ok) { delivered_[ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed); }
  void commit(bool ok, double seconds);
  enum class Rebalance { kAssign, kRevoke, kLost };
  void rebalance(Rebalance kind) {
    rebalances_[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
  void reload(bool ok) { reloads_[ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed); }
  void set_pack(const PackInfo& info, double activated_unix);

  // Everything but the lag gauges, which the caller appends.
  std::string render(std::int64_t in_flight, std::size_t assigned) const;

  static constexpr std::array<double, 10> kCommitBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                            0.05,  0.1,    0.25,  1,    5};

 private:
  std::atomic<std::uint64_t> consumed_{0};
  std::array<std::atomic<std::uint64_t>, 4> actions_{};  // allow, review, block, error (not a listing)
  std::atomic<std::uint64_t> dead_letters_{0};
  std::array<std::atomic<std::uint64_t>, 2> delivered_{};  // acknowledged, failed
  std::array<std::atomic<std::uint64_t>, 2> commits_{};    // success, failure
  std::array<std::atomic<std::uint64_t>, kCommitBuckets.size() + 1> commit_buckets_{};
  std::atomic<std::uint64_t> commit_ns_{0};
  std::array<std::atomic<std::uint64_t>, 3> rebalances_{};
  std::array<std::atomic<std::uint64_t>, 2> reloads_{};
  mutable std::mutex mutex_;
  PackInfo pack_;
  double pack_activated_ = 0;
};

// Prometheus label value escaping.
std::string label_value(const std::string& s);

}  // namespace tusk::stream
