// `tusk stream`: Kafka consumer-group workers (stream/worker.h, docs/streaming.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "cli/commands.h"
#include "stream/worker.h"

namespace tusk::cli {
namespace {

struct StreamArgs {
  stream::Options flags;
  std::string config;
  std::vector<std::string> properties;  // -X key=value
  std::vector<std::pair<CLI::Option*, std::function<void(stream::Options&, const stream::Options&)>>> given;
};

int run_stream(StreamArgs& args) {
  stream::Options options;
  if (!args.config.empty()) {
    const std::string error = stream::load_config_file(args.config, options);
    if (!error.empty()) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitUsage;
    }
  }
  for (auto& [opt, copy] : args.given) {
    if (opt->count() > 0) copy(options, args.flags);
  }
  for (const auto& p : args.properties) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "error: -X {}: expected key=value\n", p);
      return kExitUsage;
    }
    options.properties.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  return stream::run(std::move(options));
}

}  // namespace

Action add_stream_command(CLI::App& app) {
  auto args = std::make_shared<StreamArgs>();
  stream::Options& f = args->flags;
  auto* cmd = app.add_subcommand(
      "stream", "Screen a Kafka topic in a consumer group: verdicts to a topic, at least once, in order.");
  auto add = [&](const char* name, auto member, const char* help) {
    CLI::Option* o = cmd->add_option(name, f.*member, help)
                         ->capture_default_str()
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    args->given.emplace_back(
        o, [member](stream::Options& to, const stream::Options& from) { to.*member = from.*member; });
    return o;
  };
  add("--pack,-p", &stream::Options::pack,
      "Pack directory (with pack.yaml), a single .tusk file, a bundle (.tusk.tar.gz) or a bundle's "
      "http(s):// URL");
  add("--public-key", &stream::Options::public_key,
      "Ed25519 public key (PEM) bundles must be signed with; required for a URL");
  add("--pack-ca-file", &stream::Options::pack_ca_file,
      "CA certificates (PEM) for an https:// pack URL (default: the system's)");
  add("--brokers", &stream::Options::brokers, "Bootstrap brokers, HOST:PORT[,HOST:PORT...]");
  add("--group", &stream::Options::group,
      "Consumer group id: workers with the same group share the input's partitions");
  add("--input", &stream::Options::input, "Topic of listings (one JSON object per message)");
  add("--output", &stream::Options::output,
      "Topic of verdicts (keyed by the input key, else the listing id)");
  add("--dead-letter", &stream::Options::dead_letter,
      "Topic for messages that are not listings (original bytes; tusk-error and origin headers). "
      "Without it, their error objects go to --output");
  add("--threads,-j", &stream::Options::threads,
      "Scanning threads (0: all cores); a partition is screened by one thread");
  add("--max-in-flight", &stream::Options::max_in_flight,
      "Messages consumed but not yet acknowledged, at most (backpressure)");
  add("--commit-interval", &stream::Options::commit_interval, "Seconds between offset commits");
  add("--drain-seconds", &stream::Options::drain_seconds,
      "On SIGTERM or a partition revocation, how long in-flight work may take to finish");
  add("--metrics-listen", &stream::Options::metrics_listen,
      "HOST:PORT of GET /metrics and GET /healthz (port 0 picks a free one; `off`: none)");
  add("--stdlib", &stream::Options::stdlib,
      "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  add("--backend", &stream::Options::backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  add("--state", &stream::Options::state,
      "Account state of packs with entities, counters or labels: memory (default), a directory (embedded "
      "store) or "
      "redis://HOST[:PORT][/DB], shared by the workers of a group (docs/accounts.md)");
  add("--store", &stream::Options::store,
      "Verdict store (sqlite:PATH or postgresql://...): flagged verdicts are kept there with the records as "
      "received; "
      "an input offset is committed only once its verdict is stored");
  {
    CLI::Option* o =
        cmd->add_option("--store-actions", f.store_actions, "Actions kept by --store (default: review,block)")
            ->check(CLI::IsMember({"allow", "review", "block"}))
            ->delimiter(',');
    args->given.emplace_back(
        o, [](stream::Options& to, const stream::Options& from) { to.store_actions = from.store_actions; });
  }
  cmd->add_option("-X", args->properties,
                  "A librdkafka property KEY=VALUE for both clients (repeatable; prefix consumer. or "
                  "producer. for one of them), e.g. -X security.protocol=SASL_SSL");
  cmd->add_option("--config", args->config,
                  "YAML file of options (keys: the long option names; `kafka:` a mapping of "
                  "librdkafka properties); flags override it, -X adds to it");
  cmd->footer(
      "Delivery: at least once. An input offset is committed only after the verdicts of every message up to "
      "it were "
      "acknowledged; after a crash some verdicts may be produced again (deduplicate by listing id and pack "
      "digest).\n"
      "Signals: SIGHUP reloads the pack (a pack that does not compile or fails its tests is rejected and the "
      "active one "
      "stays); SIGTERM or SIGINT finishes the messages in flight, commits and leaves the group.\n"
      "Logs: one JSON object per line on standard error; \"streaming\" gives the metrics port "
      "(docs/streaming.md).\n"
      "Exit status: 0 after a clean stop; 1 a fatal Kafka error (a verdict could not be delivered); 3 the "
      "pack has "
      "errors at startup; 2 bad options, or the pack cannot be loaded at startup for another reason.");
  return [args] { return run_stream(*args); };
}

}  // namespace tusk::cli
