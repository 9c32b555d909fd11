#include "serve/config_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace tusk::serve {
namespace {

// Sets one field from its YAML value; throws YAML::Exception on a value of another type, and
// returns an error for a value of the right type but the wrong shape.
struct Assign {
  const YAML::Node& value;
  const std::string& path;
  const std::string& key;

  std::string operator()(ConfigBindings::Properties* field) const {
    if (!value.IsMap()) {
      return fmt::format("{}:{}: `{}` must map property names to values", path, value.Mark().line + 1, key);
    }
    for (const auto& p : value) field->emplace_back(p.first.as<std::string>(), p.second.as<std::string>());
    return "";
  }
  template <class T>
  std::string operator()(T* field) const {
    *field = value.as<T>();
    return "";
  }
};

}  // namespace

std::string ConfigBindings::load(const std::string& path) const {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return fmt::format("{}: {}", path, e.what());
  }
  if (!root.IsMap()) return fmt::format("{}: expected a mapping of option names to values", path);
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>("");
    std::replace(key.begin(), key.end(), '_', '-');
    const auto it =
        std::find_if(bindings_.begin(), bindings_.end(), [&](const Binding& b) { return b.name == key; });
    if (it == bindings_.end()) {
      return fmt::format("{}:{}: unknown option `{}`", path, kv.first.Mark().line + 1, key);
    }
    const YAML::Node& value = kv.second;
    try {
      if (std::string error = std::visit(Assign{value, path, key}, it->target); !error.empty()) return error;
    } catch (const YAML::Exception&) {
      return fmt::format("{}:{}: bad value for `{}`", path, value.Mark().line + 1, key);
    }
  }
  return "";
}

}  // namespace tusk::serve
