// The YAML config file of `tusk stream`: the long option names as keys, plus `kafka:`, a
// mapping of librdkafka properties (serve/config_file.h).
#include "serve/config_file.h"
#include "stream/worker.h"

namespace tusk::stream {

std::string load_config_file(const std::string& path, Options& o) {
  serve::ConfigBindings b;
  b.bind("pack", o.pack)
      .bind("brokers", o.brokers)
      .bind("group", o.group)
      .bind("input", o.input)
      .bind("output", o.output)
      .bind("dead-letter", o.dead_letter)
      .bind("threads", o.threads)
      .bind("max-in-flight", o.max_in_flight)
      .bind("commit-interval", o.commit_interval)
      .bind("drain-seconds", o.drain_seconds)
      .bind("metrics-listen", o.metrics_listen)
      .bind("stdlib", o.stdlib)
      .bind("public-key", o.public_key)
      .bind("pack-ca-file", o.pack_ca_file)
      .bind("backend", o.backend)
      .bind("store", o.store)
      .bind("state", o.state)
      .bind("store-actions", o.store_actions)
      .bind("kafka", o.properties);
  return b.load(path);
}

}  // namespace tusk::stream
