// The service's Prometheus metrics (text exposition format 0.0.4), kept in lock-free counters
// on the request path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tusk/verdict.h"

namespace tusk::serve {

enum class Route {
  kScreen,
  kScreenBatch,
  kExplain,
  kPack,
  kPackReload,
  kHealthz,
  kReadyz,
  kMetrics,
  kReview,
  kUnmatched,
  kCount
};
const char* route_label(Route route);

class Metrics {
 public:
  Metrics();
  void request(Route route, unsigned status, double seconds);
  void verdict(const Verdict& v);  // by action, "error" for an unreadable record, and by tag
  void reload(bool ok);
  void poll(bool ok);  // --watch: one check of the pack source, and whether it could be made
  void connection_opened() {
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    connections_total_.fetch_add(1, std::memory_order_relaxed);
  }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_rejected() { connections_rejected_.fetch_add(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  void set_pack(const std::string& name, const std::string& version, const std::string& digest,
                double activated_unix);

  std::string render() const;

  static constexpr std::array<double, 14> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};

 private:
  static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::kCount);
  static constexpr std::size_t kStatuses = 600;
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> counts{};  // last: +Inf
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::vector<std::atomic<std::uint64_t>> requests_;  // kRoutes * kStatuses
  std::array<Histogram, kRoutes> latency_;
  std::array<std::atomic<std::uint64_t>, 4> actions_{};  // allow, review, block, error
  std::array<std::atomic<std::uint64_t>, 2> reloads_{};  // success, failure
  std::array<std::atomic<std::uint64_t>, 2> polls_{};    // success, failure
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> connections_total_{0};
  std::atomic<std::uint64_t> connections_rejected_{0};
  mutable std::mutex mutex_;  // guards the maps and the pack info below
  std::map<std::string, std::uint64_t> tags_;
  std::string pack_name_, pack_version_, pack_digest_;
  double pack_activated_ = 0;
};

}  // namespace tusk::serve
