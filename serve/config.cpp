// The YAML config file of `tusk serve`: the long option names as keys.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "serve/server.h"

namespace tusk::serve {

std::string load_config_file(const std::string& path, Options& o) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return fmt::format("{}: {}", path, e.what());
  }
  if (!root.IsMap()) return fmt::format("{}: expected a mapping of option names to values", path);
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>("");
    for (char& c : key) c = c == '_' ? '-' : c;
    const YAML::Node& v = kv.second;
    try {
      if (key == "pack") {
        o.pack = v.as<std::string>();
      } else if (key == "listen") {
        o.listen = v.as<std::string>();
      } else if (key == "threads") {
        o.threads = v.as<unsigned>();
      } else if (key == "admin-token-file") {
        o.admin_token_file = v.as<std::string>();
      } else if (key == "tls-cert") {
        o.tls_cert = v.as<std::string>();
      } else if (key == "tls-key") {
        o.tls_key = v.as<std::string>();
      } else if (key == "body-limit") {
        o.body_limit = v.as<std::size_t>();
      } else if (key == "batch-body-limit") {
        o.batch_body_limit = v.as<std::size_t>();
      } else if (key == "header-limit") {
        o.header_limit = v.as<std::size_t>();
      } else if (key == "read-timeout") {
        o.read_timeout = v.as<double>();
      } else if (key == "idle-timeout") {
        o.idle_timeout = v.as<double>();
      } else if (key == "max-connections") {
        o.max_connections = v.as<std::size_t>();
      } else if (key == "drain-seconds") {
        o.drain_seconds = v.as<double>();
      } else if (key == "decision-log") {
        o.decision_log = v.as<std::string>();
      } else if (key == "stdlib") {
        o.stdlib = v.as<std::string>();
      } else if (key == "backend") {
        o.backend = v.as<std::string>();
      } else if (key == "public-key") {
        o.public_key = v.as<std::string>();
      } else if (key == "pack-ca-file") {
        o.pack_ca_file = v.as<std::string>();
      } else if (key == "watch") {
        o.watch_seconds = v.as<double>();
      } else if (key == "store") {
        o.store = v.as<std::string>();
      } else if (key == "state") {
        o.state = v.as<std::string>();
      } else if (key == "store-actions") {
        o.store_actions = v.as<std::vector<std::string>>();
      } else if (key == "review-users") {
        o.review_users = v.as<std::string>();
      } else if (key == "evidence-key") {
        o.evidence_key = v.as<std::string>();
      } else if (key == "review-trusted-header") {
        o.review_trusted_header = v.as<std::string>();
      } else {
        return fmt::format("{}:{}: unknown option `{}`", path, kv.first.Mark().line + 1, key);
      }
    } catch (const YAML::Exception&) {
      return fmt::format("{}:{}: bad value for `{}`", path, v.Mark().line + 1, key);
    }
  }
  return "";
}

}  // namespace tusk::serve
