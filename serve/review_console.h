// The reviewer console of `tusk serve`, under /review: server-rendered HTML pages over the
// verdict store (the queue, one verdict with its evidence highlighted, decisions, evidence
// bundles, the audit log), for reviewers who sign in with a password (serve/review_users.h).
// Sessions are cookies (HttpOnly, SameSite=Strict, Secure under TLS); every POST carries a CSRF
// token; pages load nothing but /review/static/ (a strict Content-Security-Policy, no inline
// script); failed sign-ins are rate-limited and lock the account for a while; every sign-in,
// sign-out, decision and export is written to the store's audit log. docs/review.md.
//
// The console does not know HTTP plumbing: the server hands it a request and sends back what it
// answers. handle() may be called from several threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tusk/state.h"

namespace tusk::serve {

struct ConsoleOptions {
  std::string store;                 // the verdict store URL (store::Store::open)
  std::string users_file;            // reviewer accounts (`tusk review user add`)
  bool tls = false;                  // the server speaks HTTPS: cookies get Secure
  std::string evidence_key;          // PEM Ed25519 private key signing exported bundles; empty: unsigned
  std::string pack_dir, stdlib_dir;  // where the store lacks a verdict's pack sources (ExportOptions)
  // Failed sign-ins: `max_failures` within `failure_window` seconds lock the account (and the
  // client address) for `lockout_seconds`.
  int max_failures = 5;
  double failure_window = 900;
  double lockout_seconds = 900;
  double session_idle = 1800;  // seconds without a request before a session ends
  double session_max = 43200;  // seconds a session lives at most
  // A request header naming the reviewer, set by a reverse proxy that authenticated them
  // (ConsoleRequest::trusted_user); empty: off, reviewers sign in with passwords only.
  std::string trusted_header;
  // The account store of the engine (docs/accounts.md), read for a seller's counters and labels
  // on a verdict's page; unset, or returning null: the page says there is none to read.
  std::function<std::shared_ptr<StateStore>()> account_state;
};

struct ConsoleRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query
  std::string cookie, content_type, body;
  std::string client;  // the peer's address
  // The value of ConsoleOptions::trusted_header, when it is configured and the request has it.
  std::string trusted_user;
};

struct ConsoleResponse {
  unsigned status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class ReviewConsole {
 public:
  // Opens the store and reads the accounts file; throws std::runtime_error with a message for
  // the operator when either cannot be used.
  explicit ReviewConsole(ConsoleOptions options);
  ~ReviewConsole();
  ReviewConsole(const ReviewConsole&) = delete;
  ReviewConsole& operator=(const ReviewConsole&) = delete;

  ConsoleResponse handle(const ConsoleRequest& request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tusk::serve
