// The YAML config file of `tusk serve`: the long option names as keys (serve/config_file.h).
#include "serve/config_file.h"
#include "serve/server.h"

namespace tusk::serve {

std::string load_config_file(const std::string& path, Options& o) {
  ConfigBindings b;
  b.bind("pack", o.pack)
      .bind("listen", o.listen)
      .bind("threads", o.threads)
      .bind("admin-token-file", o.admin_token_file)
      .bind("tls-cert", o.tls_cert)
      .bind("tls-key", o.tls_key)
      .bind("body-limit", o.body_limit)
      .bind("batch-body-limit", o.batch_body_limit)
      .bind("header-limit", o.header_limit)
      .bind("read-timeout", o.read_timeout)
      .bind("idle-timeout", o.idle_timeout)
      .bind("max-connections", o.max_connections)
      .bind("drain-seconds", o.drain_seconds)
      .bind("decision-log", o.decision_log)
      .bind("stdlib", o.stdlib)
      .bind("backend", o.backend)
      .bind("public-key", o.public_key)
      .bind("pack-ca-file", o.pack_ca_file)
      .bind("watch", o.watch_seconds)
      .bind("store", o.store)
      .bind("state", o.state)
      .bind("store-actions", o.store_actions)
      .bind("review-users", o.review_users)
      .bind("evidence-key", o.evidence_key)
      .bind("review-trusted-header", o.review_trusted_header);
  return b.load(path);
}

}  // namespace tusk::serve
