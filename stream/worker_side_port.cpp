// `tusk stream`: the side port, /metrics and /healthz (stream/worker_impl.h).
#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "serve/log.h"
#include "stream/worker_impl.h"

namespace tusk::stream {

using serve::log;
using serve::raw_field;

// ---------------------------------------------------------------------------------------------
// The side port.

HttpResponse Worker::http(std::string_view method, std::string_view target) {
  if (method != "GET") {
    return {405, "application/json", error_json("method_not_allowed", "only GET is served here")};
  }
  if (target == "/healthz") {
    std::string digest;
    {
      std::lock_guard d(digest_mutex_);
      digest = digest_;
    }
    std::size_t assigned;
    {
      std::lock_guard lock(parts_mutex_);
      assigned = parts_.size();
    }
    if (!healthy_) {
      std::string why;
      {
        std::lock_guard lock(fatal_mutex_);
        why = fatal_reason_.empty() ? (stop_ ? "stopping" : "starting") : fatal_reason_;
      }
      return {503, "application/json", error_json(fatal_ ? "fatal" : "unavailable", why)};
    }
    return {200, "application/json",
            fmt::format(
                "{{\"status\":\"ok\",\"pack_digest\":\"{}\",\"assigned_partitions\":{},\"in_flight\":{}}}\n",
                digest, assigned, in_flight_.load())};
  }
  if (target == "/metrics") {
    const auto parts = all_partitions();
    std::string body = metrics_.render(in_flight_.load(), parts.size());
    body +=
        "# HELP tusk_stream_consumer_lag Messages of an assigned input partition not yet consumed (high "
        "watermark minus position).\n"
        "# TYPE tusk_stream_consumer_lag gauge\n";
    for (const auto& p : parts) {
      std::int64_t low = 0, high = 0;
      if (rd_kafka_get_watermark_offsets(consumer_, opt_.input.c_str(), p->id, &low, &high) !=
              RD_KAFKA_RESP_ERR_NO_ERROR ||
          high < 0) {
        continue;
      }
      const std::int64_t position = p->position.load();
      const std::int64_t lag = position < 0 ? high - low : std::max<std::int64_t>(0, high - position);
      body += fmt::format("tusk_stream_consumer_lag{{topic=\"{}\",partition=\"{}\"}} {}\n",
                          label_value(opt_.input), p->id, lag);
    }
    body +=
        "# HELP tusk_stream_committed_offset The last offset committed for an assigned input partition (-1: "
        "none yet).\n"
        "# TYPE tusk_stream_committed_offset gauge\n";
    for (const auto& p : parts) {
      std::int64_t committed;
      {
        std::lock_guard lock(p->mutex);
        committed = p->committed;
      }
      body += fmt::format("tusk_stream_committed_offset{{topic=\"{}\",partition=\"{}\"}} {}\n",
                          label_value(opt_.input), p->id, committed);
    }
    return {200, "text/plain; version=0.0.4", std::move(body)};
  }
  return {404, "application/json", error_json("not_found", fmt::format("no route {}", target))};
}

}  // namespace tusk::stream
