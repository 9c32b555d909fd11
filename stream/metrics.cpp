#include "stream/metrics.h"

#include <fmt/format.h>

namespace tusk::stream {

std::string label_value(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metrics::commit(bool ok, double seconds) {
  commits_[ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kCommitBuckets.size() && seconds > kCommitBuckets[b]) ++b;
  commit_buckets_[b].fetch_add(1, std::memory_order_relaxed);
  commit_ns_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::set_pack(const PackInfo& info, double activated_unix) {
  std::lock_guard lock(mutex_);
  pack_ = info;
  pack_activated_ = activated_unix;
}

std::string Metrics::render(std::int64_t in_flight, std::size_t assigned) const {
  const auto get = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  std::string o;
  o += "# HELP tusk_stream_messages_total Input messages consumed.\n# TYPE tusk_stream_messages_total "
       "counter\n";
  o += fmt::format("tusk_stream_messages_total {}\n", get(consumed_));
  o += "# HELP tusk_stream_verdicts_total Verdicts produced, by action (error: not a listing).\n"
       "# TYPE tusk_stream_verdicts_total counter\n";
  const char* actions[] = {"allow", "review", "block", "error"};
  for (int i = 0; i < 4; ++i) {
    o += fmt::format("tusk_stream_verdicts_total{{action=\"{}\"}} {}\n", actions[i], get(actions_[i]));
  }
  o += "# HELP tusk_stream_dead_letters_total Messages sent to the dead-letter topic.\n"
       "# TYPE tusk_stream_dead_letters_total counter\n";
  o += fmt::format("tusk_stream_dead_letters_total {}\n", get(dead_letters_));
  o += "# HELP tusk_stream_deliveries_total Produced messages by delivery report.\n# TYPE "
       "tusk_stream_deliveries_total counter\n";
  o += fmt::format("tusk_stream_deliveries_total{{result=\"acknowledged\"}} {}\n", get(delivered_[0]));
  o += fmt::format("tusk_stream_deliveries_total{{result=\"failed\"}} {}\n", get(delivered_[1]));
  o += "# HELP tusk_stream_commits_total Offset commits.\n# TYPE tusk_stream_commits_total counter\n";
  o += fmt::format("tusk_stream_commits_total{{result=\"success\"}} {}\n", get(commits_[0]));
  o += fmt::format("tusk_stream_commits_total{{result=\"failure\"}} {}\n", get(commits_[1]));
  o += "# HELP tusk_stream_commit_seconds Offset commit latency.\n# TYPE tusk_stream_commit_seconds "
       "histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kCommitBuckets.size(); ++b) {
    cumulative += get(commit_buckets_[b]);
    o += fmt::format("tusk_stream_commit_seconds_bucket{{le=\"{}\"}} {}\n", kCommitBuckets[b], cumulative);
  }
  cumulative += get(commit_buckets_.back());
  o += fmt::format("tusk_stream_commit_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  o += fmt::format("tusk_stream_commit_seconds_sum {:.6f}\n", static_cast<double>(get(commit_ns_)) / 1e9);
  o += fmt::format("tusk_stream_commit_seconds_count {}\n", cumulative);
  o += "# HELP tusk_stream_rebalances_total Partitions assigned, revoked or lost in rebalances.\n"
       "# TYPE tusk_stream_rebalances_total counter\n";
  const char* kinds[] = {"assign", "revoke", "lost"};
  for (int i = 0; i < 3; ++i) {
    o += fmt::format("tusk_stream_rebalances_total{{kind=\"{}\"}} {}\n", kinds[i], get(rebalances_[i]));
  }
  o += "# HELP tusk_stream_reloads_total Pack reloads.\n# TYPE tusk_stream_reloads_total counter\n";
  o += fmt::format("tusk_stream_reloads_total{{result=\"success\"}} {}\n", get(reloads_[0]));
  o += fmt::format("tusk_stream_reloads_total{{result=\"failure\"}} {}\n", get(reloads_[1]));
  o += "# HELP tusk_stream_in_flight Messages consumed whose output is not yet acknowledged.\n# TYPE "
       "tusk_stream_in_flight gauge\n";
  o += fmt::format("tusk_stream_in_flight {}\n", in_flight);
  o += "# HELP tusk_stream_assigned_partitions Input partitions assigned to this worker.\n"
       "# TYPE tusk_stream_assigned_partitions gauge\n";
  o += fmt::format("tusk_stream_assigned_partitions {}\n", assigned);
  std::lock_guard lock(mutex_);
  if (!pack_.digest.empty()) {
    o += "# HELP tusk_stream_pack_info The active pack.\n# TYPE tusk_stream_pack_info gauge\n";
    o += fmt::format("tusk_stream_pack_info{{name=\"{}\",version=\"{}\",digest=\"{}\"}} 1\n",
                     label_value(pack_.name), label_value(pack_.version), label_value(pack_.digest));
    o += "# HELP tusk_stream_pack_activated_seconds When the active pack was activated (Unix time).\n"
         "# TYPE tusk_stream_pack_activated_seconds gauge\n";
    o += fmt::format("tusk_stream_pack_activated_seconds {:.3f}\n", pack_activated_);
  }
  return o;
}

}  // namespace tusk::stream
