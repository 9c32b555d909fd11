#include "serve/metrics.h"

#include <fmt/format.h>

namespace tusk::serve {
namespace {

std::string label_value(const std::string& s) {  // Prometheus label escaping
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

}  // namespace

const char* route_label(Route route) {
  switch (route) {
    case Route::kScreen:
      return "/v1/screen";
    case Route::kScreenBatch:
      return "/v1/screen/batch";
    case Route::kExplain:
      return "/v1/explain";
    case Route::kPack:
      return "/v1/pack";
    case Route::kPackReload:
      return "/v1/pack/reload";
    case Route::kHealthz:
      return "/healthz";
    case Route::kReadyz:
      return "/readyz";
    case Route::kMetrics:
      return "/metrics";
    case Route::kReview:
      return "/review";
    default:
      return "unmatched";
  }
}

Metrics::Metrics() : requests_(kRoutes * kStatuses) {}

void Metrics::request(Route route, unsigned status, double seconds) {
  const auto r = static_cast<std::size_t>(route);
  if (status >= kStatuses) status = 599;
  requests_[r * kStatuses + status].fetch_add(1, std::memory_order_relaxed);
  Histogram& h = latency_[r];
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  h.counts[b].fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::verdict(const Verdict& v) {
  actions_[v.ok ? static_cast<int>(v.action) : 3].fetch_add(1, std::memory_order_relaxed);
  if (v.ok && !v.tags.empty()) {
    std::lock_guard lock(mutex_);
    for (const auto& t : v.tags) ++tags_[t];
  }
}

void Metrics::reload(bool ok) { reloads_[ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed); }
void Metrics::poll(bool ok) { polls_[ok ? 0 : 1].fetch_add(1, std::memory_order_relaxed); }

void Metrics::set_pack(const std::string& name, const std::string& version, const std::string& digest,
                       double activated_unix) {
  std::lock_guard lock(mutex_);
  pack_name_ = name;
  pack_version_ = version;
  pack_digest_ = digest;
  pack_activated_ = activated_unix;
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP tusk_http_requests_total HTTP requests answered, by route and status code.\n";
  out += "# TYPE tusk_http_requests_total counter\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    for (std::size_t s = 0; s < kStatuses; ++s) {
      const auto n = requests_[r * kStatuses + s].load(std::memory_order_relaxed);
      if (n) {
        out += fmt::format("tusk_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                           route_label(Route(r)), s, n);
      }
    }
  }
  out +=
      "# HELP tusk_http_request_duration_seconds Time from a request's last byte read to its response handed "
      "to the socket.\n";
  out += "# TYPE tusk_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    const Histogram& h = latency_[r];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += h.counts[b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("tusk_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         route_label(Route(r)), le, cumulative);
    }
    out += fmt::format("tusk_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route_label(Route(r)),
                       h.sum_ns.load(std::memory_order_relaxed) / 1e9);
    out += fmt::format("tusk_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route_label(Route(r)),
                       cumulative);
  }
  out += "# HELP tusk_verdicts_total Verdicts given, by action (error: a record that could not be read).\n";
  out += "# TYPE tusk_verdicts_total counter\n";
  const char* actions[] = {"allow", "review", "block", "error"};
  for (int a = 0; a < 4; ++a) {
    out += fmt::format("tusk_verdicts_total{{action=\"{}\"}} {}\n", actions[a],
                       actions_[a].load(std::memory_order_relaxed));
  }
  out += "# HELP tusk_pack_reloads_total Pack reloads, by outcome.\n";
  out += "# TYPE tusk_pack_reloads_total counter\n";
  out += fmt::format("tusk_pack_reloads_total{{outcome=\"success\"}} {}\n",
                     reloads_[0].load(std::memory_order_relaxed));
  out += fmt::format("tusk_pack_reloads_total{{outcome=\"failure\"}} {}\n",
                     reloads_[1].load(std::memory_order_relaxed));
  out +=
      "# HELP tusk_pack_source_checks_total Checks of the pack source for changes (--watch), by outcome.\n";
  out += "# TYPE tusk_pack_source_checks_total counter\n";
  out += fmt::format("tusk_pack_source_checks_total{{outcome=\"success\"}} {}\n",
                     polls_[0].load(std::memory_order_relaxed));
  out += fmt::format("tusk_pack_source_checks_total{{outcome=\"failure\"}} {}\n",
                     polls_[1].load(std::memory_order_relaxed));
  out += "# HELP tusk_http_open_connections Connections open now.\n# TYPE tusk_http_open_connections gauge\n";
  out += fmt::format("tusk_http_open_connections {}\n", open_connections_.load(std::memory_order_relaxed));
  out +=
      "# HELP tusk_http_connections_total Connections accepted.\n# TYPE tusk_http_connections_total "
      "counter\n";
  out += fmt::format("tusk_http_connections_total {}\n", connections_total_.load(std::memory_order_relaxed));
  out +=
      "# HELP tusk_http_connections_rejected_total Connections refused because the connection cap was "
      "reached.\n";
  out += "# TYPE tusk_http_connections_rejected_total counter\n";
  out += fmt::format("tusk_http_connections_rejected_total {}\n",
                     connections_rejected_.load(std::memory_order_relaxed));
  std::lock_guard lock(mutex_);
  out += "# HELP tusk_verdict_tags_total Tags on verdicts, by tag.\n# TYPE tusk_verdict_tags_total counter\n";
  for (const auto& [tag, n] : tags_) {
    out += fmt::format("tusk_verdict_tags_total{{tag=\"{}\"}} {}\n", label_value(tag), n);
  }
  out += "# HELP tusk_pack_info The active pack (value 1).\n# TYPE tusk_pack_info gauge\n";
  if (!pack_digest_.empty()) {
    out += fmt::format("tusk_pack_info{{name=\"{}\",version=\"{}\",digest=\"{}\"}} 1\n",
                       label_value(pack_name_), label_value(pack_version_), label_value(pack_digest_));
    out += "# HELP tusk_pack_activated_timestamp_seconds When the active pack was activated (Unix time).\n";
    out += "# TYPE tusk_pack_activated_timestamp_seconds gauge\n";
    out += fmt::format("tusk_pack_activated_timestamp_seconds {:.3f}\n", pack_activated_);
  }
  return out;
}

}  // namespace tusk::serve
