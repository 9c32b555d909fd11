// `tusk serve`: the screening service (serve/server.h, docs/serving.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "cli/commands.h"
#include "serve/server.h"

namespace tusk::cli {
namespace {

struct ServeArgs {
  serve::Options flags;
  std::string config;
  // For each option: was it given, and how to copy it over the config file's value.
  std::vector<std::pair<CLI::Option*, std::function<void(serve::Options&, const serve::Options&)>>> given;
};

int run_serve(ServeArgs& args) {
  serve::Options options;
  if (!args.config.empty()) {
    const std::string error = serve::load_config_file(args.config, options);
    if (!error.empty()) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitUsage;
    }
  }
  for (auto& [opt, copy] : args.given) {
    if (opt->count() > 0) copy(options, args.flags);
  }
  return serve::run(std::move(options));
}

}  // namespace

Action add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  serve::Options& f = args->flags;
  auto* cmd = app.add_subcommand(
      "serve", "Run the screening service: HTTP/1.1 JSON API over a pack, with hot reload.");
  auto add = [&](const char* name, auto member, const char* help) {
    CLI::Option* o = cmd->add_option(name, f.*member, help)
                         ->capture_default_str()
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    args->given.emplace_back(
        o, [member](serve::Options& to, const serve::Options& from) { to.*member = from.*member; });
    return o;
  };
  add("--pack,-p", &serve::Options::pack,
      "Pack directory (with pack.yaml), a single .tusk file, a bundle (.tusk.tar.gz) or a bundle's "
      "http(s):// URL");
  add("--public-key", &serve::Options::public_key,
      "Ed25519 public key (PEM) bundles must be signed with; required for a URL");
  add("--pack-ca-file", &serve::Options::pack_ca_file,
      "CA certificates (PEM) for an https:// pack URL (default: the system's)");
  add("--watch", &serve::Options::watch_seconds,
      "Check the pack source every SECONDS and reload when it changed (files: size and time; URL: a "
      "conditional GET); 0: off");
  add("--listen", &serve::Options::listen,
      "Address and port to listen on (HOST:PORT, [IPV6]:PORT; port 0 picks a free one)");
  add("--threads,-j", &serve::Options::threads, "Worker threads, each with its own scanner (0: all cores)");
  add("--admin-token-file", &serve::Options::admin_token_file,
      "File holding the bearer token of the admin routes (none: admin routes answer 403)");
  add("--tls-cert", &serve::Options::tls_cert, "PEM certificate chain: serve HTTPS (with --tls-key)");
  add("--tls-key", &serve::Options::tls_key, "PEM private key of --tls-cert");
  add("--body-limit", &serve::Options::body_limit,
      "Largest request body of /v1/screen and /v1/explain, in bytes (413 above)");
  add("--batch-body-limit", &serve::Options::batch_body_limit,
      "Largest request body of /v1/screen/batch, in bytes (413 above)");
  add("--header-limit", &serve::Options::header_limit,
      "Largest request line and headers, in bytes (431 above)");
  add("--read-timeout", &serve::Options::read_timeout,
      "Seconds a request may take to arrive once it has begun");
  add("--idle-timeout", &serve::Options::idle_timeout,
      "Seconds a keep-alive connection may wait for its next request");
  add("--max-connections", &serve::Options::max_connections,
      "Open connections at most; more are answered 503 and closed");
  add("--drain-seconds", &serve::Options::drain_seconds,
      "On SIGTERM, how long requests in flight may take to finish");
  add("--decision-log", &serve::Options::decision_log,
      "Append every verdict as a JSON line to this file (`-`: standard output)");
  add("--stdlib", &serve::Options::stdlib,
      "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  add("--backend", &serve::Options::backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  add("--state", &serve::Options::state,
      "Account state of packs with entities, counters or labels: memory (default), a directory (embedded "
      "store) or "
      "redis://HOST[:PORT][/DB], shared by several instances (docs/accounts.md)");
  add("--store", &serve::Options::store,
      "Verdict store (sqlite:PATH or postgresql://...): flagged verdicts are kept there, with the records as "
      "received; the reviewer console at /review works on it");
  {
    CLI::Option* o =
        cmd->add_option("--store-actions", f.store_actions, "Actions kept by --store (default: review,block)")
            ->check(CLI::IsMember({"allow", "review", "block"}))
            ->delimiter(',');
    args->given.emplace_back(
        o, [](serve::Options& to, const serve::Options& from) { to.store_actions = from.store_actions; });
  }
  add("--review-users", &serve::Options::review_users,
      "Reviewer accounts of the console (`tusk review user add`)");
  add("--evidence-key", &serve::Options::evidence_key,
      "PEM Ed25519 private key signing the console's evidence bundles");
  add("--review-trusted-header", &serve::Options::review_trusted_header,
      "Sign reviewers in by this request header (e.g. X-Remote-User) set by a reverse proxy that "
      "authenticates them "
      "and strips the header from clients; the name must be in --review-users (docs/review.md)");
  cmd->add_option("--config", args->config,
                  "YAML file of options (keys: the long option names); flags override it");
  cmd->footer(
      "Routes: POST /v1/screen, POST /v1/screen/batch, POST /v1/explain, GET /v1/pack, POST /v1/pack/reload "
      "(admin), "
      "GET /healthz, GET /readyz, GET /metrics (docs/serving.md, docs/openapi.yaml); with --store, the "
      "reviewer "
      "console under /review (docs/review.md).\n"
      "Signals: SIGHUP reloads the pack (a pack that does not compile or fails its tests is rejected and the "
      "active "
      "one stays); SIGTERM or SIGINT stops accepting, drains requests in flight and exits 0.\n"
      "Logs: one JSON object per line on standard error; the first, \"listening\", gives the bound port.\n"
      "Exit status: 0 after a clean shutdown; 3 the pack or its test files have errors at startup; 2 bad "
      "options, or "
      "the pack cannot be loaded at startup for another reason.");
  return [args] { return run_serve(*args); };
}

}  // namespace tusk::cli
