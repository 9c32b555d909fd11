// `tusk serve`: the screening service. HTTP/1.1 with keep-alive on Boost.Beast, a fixed pool of
// worker threads (one io_context and one Scanner each), hot reload through a tusk::Engine,
// Prometheus metrics, an optional decision log, graceful shutdown. Routes and limits:
// docs/serving.md and docs/openapi.yaml.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "serve/pack_loader.h"
#include "tusk/pack.h"

namespace tusk::serve {

struct Options {
  std::string pack;          // a pack directory or .tusk file, a bundle file, or a bundle's http(s) URL
  std::string public_key;    // PEM Ed25519 public key bundles must be signed with (required for a URL)
  std::string pack_ca_file;  // CA certificates for an https:// pack URL ("" = the system's)
  double watch_seconds = 0;  // > 0: check the pack source this often and reload when it changed
  std::string listen = "127.0.0.1:8080";    // HOST:PORT; port 0 picks a free one (logged as "listening")
  unsigned threads = 0;                     // 0: the number of cores
  std::string admin_token_file;             // empty: admin routes are off (403)
  std::string tls_cert, tls_key;            // PEM files; both or neither
  std::size_t body_limit = 1 << 20;         // /v1/screen and /v1/explain
  std::size_t batch_body_limit = 16 << 20;  // /v1/screen/batch
  std::size_t header_limit = 16 << 10;      // request line and headers
  double read_timeout = 10;                 // seconds for one request to arrive once its first byte has
  double idle_timeout = 60;                 // seconds a keep-alive connection may wait for its next request
  std::size_t max_connections = 1024;       // more are answered 503 and closed
  double drain_seconds = 10;                // SIGTERM: how long requests in flight may take to finish
  std::string decision_log;                 // a file to append to, "-" for standard output, empty: none
  std::string stdlib;                       // standard library directory (CompileOptions::stdlib_dir)
  std::string backend = "auto";             // auto, jit, interp
  std::string state;  // account state: memory (default), DIR or redis://HOST:PORT/DB (docs/accounts.md)
  std::string store;  // verdict store URL: flagged verdicts are kept there; the reviewer console at /review
  std::vector<std::string> store_actions{"review", "block"};  // which verdicts go to the store
  std::string review_users;  // the console's reviewer accounts (`tusk review user add`)
  std::string evidence_key;  // PEM Ed25519 key signing the console's evidence bundles
  std::string
      review_trusted_header;  // a header naming the signed-in reviewer, set by a reverse proxy; empty: off
  PackLoader loader;          // for tests: replaces the source named by `pack` (no watching)
};

// Reads a YAML config file into `options` (keys as the long option names, with `-` or `_`).
// Returns an error message, or "" on success.
std::string load_config_file(const std::string& path, Options& options);

// Runs the server until SIGTERM or SIGINT; returns the process exit code (0 after a clean
// drain, 3 when the pack has errors at startup, 2 when it cannot start otherwise).
int run(Options options);

}  // namespace tusk::serve
