// `tusk stream`: a Kafka consumer-group worker. It consumes listings from an input topic,
// screens each with the pack and produces its verdict (the JSON line `tusk scan` prints) to an
// output topic; a message that is not a listing goes to the dead-letter topic with its original
// bytes. At-least-once: an input offset is committed only after the verdicts of every message up
// to it were acknowledged by the brokers. Guarantees and operations: docs/streaming.md.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace tusk::stream {

struct Options {
  std::string pack;           // pack directory, .tusk file, bundle or bundle URL (serve::PackLocation)
  std::string public_key;     // PEM Ed25519 key bundles must be signed with (required for a URL)
  std::string pack_ca_file;   // CA certificates for an https:// pack URL
  std::string brokers;        // bootstrap.servers
  std::string group;          // group.id
  std::string input, output;  // topics
  std::string dead_letter;    // topic; empty: error objects go to the output topic
  std::vector<std::pair<std::string, std::string>> properties;  // librdkafka properties (-X), in order
  unsigned threads = 0;                                         // scanning threads; 0: the number of cores
  std::size_t max_in_flight = 10000;              // messages consumed but not yet acknowledged, at most
  double commit_interval = 1.0;                   // seconds between offset commits
  double drain_seconds = 30;                      // SIGTERM or a revocation: how long in-flight work may take
  std::string metrics_listen = "127.0.0.1:9464";  // HOST:PORT of /metrics and /healthz; "off": none
  std::string stdlib;
  std::string backend = "auto";
  // Verdict store (sqlite:PATH or postgresql://...): the verdicts of `store_actions` are kept
  // there with the records as received. An input offset is committed only once its verdict is
  // both on the output topic and in the store (docs/streaming.md, "The verdict store").
  std::string store;
  std::vector<std::string> store_actions{"review", "block"};
  // Account state: memory (default), a directory or redis://HOST[:PORT][/DB], which several
  // workers share (docs/accounts.md).
  std::string state;
};

// Reads a YAML config file into `options`: the long option names as keys and a `kafka:` mapping
// of librdkafka properties (applied before -X ones). Returns an error message, or "".
std::string load_config_file(const std::string& path, Options& options);

// Runs the worker until SIGTERM or SIGINT (drains, commits, leaves the group) or a fatal error;
// returns the exit code: 0 after a clean stop, 1 on a fatal Kafka error, 3 when the pack has
// errors at startup, 2 when it cannot start otherwise.
int run(Options options);

}  // namespace tusk::stream
