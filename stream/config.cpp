// The YAML config file of `tusk stream`: the long option names as keys, plus `kafka:`.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "stream/worker.h"

namespace tusk::stream {

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
      } else if (key == "brokers") {
        o.brokers = v.as<std::string>();
      } else if (key == "group") {
        o.group = v.as<std::string>();
      } else if (key == "input") {
        o.input = v.as<std::string>();
      } else if (key == "output") {
        o.output = v.as<std::string>();
      } else if (key == "dead-letter") {
        o.dead_letter = v.as<std::string>();
      } else if (key == "threads") {
        o.threads = v.as<unsigned>();
      } else if (key == "max-in-flight") {
        o.max_in_flight = v.as<std::size_t>();
      } else if (key == "commit-interval") {
        o.commit_interval = v.as<double>();
      } else if (key == "drain-seconds") {
        o.drain_seconds = v.as<double>();
      } else if (key == "metrics-listen") {
        o.metrics_listen = v.as<std::string>();
      } else if (key == "stdlib") {
        o.stdlib = v.as<std::string>();
      } else if (key == "public-key") {
        o.public_key = v.as<std::string>();
      } else if (key == "pack-ca-file") {
        o.pack_ca_file = v.as<std::string>();
      } else if (key == "backend") {
        o.backend = v.as<std::string>();
      } else if (key == "store") {
        o.store = v.as<std::string>();
      } else if (key == "state") {
        o.state = v.as<std::string>();
      } else if (key == "store-actions") {
        o.store_actions = v.as<std::vector<std::string>>();
      } else if (key == "kafka") {
        if (!v.IsMap()) {
          return fmt::format("{}:{}: `kafka` must map librdkafka property names to values", path,
                             v.Mark().line + 1);
        }
        for (const auto& p : v) {
          o.properties.emplace_back(p.first.as<std::string>(), p.second.as<std::string>());
        }
      } else {
        return fmt::format("{}:{}: unknown option `{}`", path, kv.first.Mark().line + 1, key);
      }
    } catch (const YAML::Exception&) {
      return fmt::format("{}:{}: bad value for `{}`", path, v.Mark().line + 1, key);
    }
  }
  return "";
}

}  // namespace tusk::stream
