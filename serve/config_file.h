// The YAML config files of `tusk serve` and `tusk stream`: a mapping whose keys are the
// command's long option names ('_' may stand for '-'). Each command binds its option names to
// the fields they set; the loader reads the file, converts each value to its field's type and
// reports the first unknown key or bad value as PATH:LINE.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tusk::serve {

class ConfigBindings {
 public:
  using Properties = std::vector<std::pair<std::string, std::string>>;

  // `name` sets `field`, which must outlive load(). A Properties field takes a mapping of
  // strings, appended in the file's order (the `kafka:` properties of `tusk stream`).
  template <class T>
  ConfigBindings& bind(std::string name, T& field) {
    bindings_.push_back({std::move(name), Target{&field}});
    return *this;
  }

  // Reads `path`; returns an error message, or "" when every key was known and every value
  // of its type.
  std::string load(const std::string& path) const;

 private:
  using Target =
      std::variant<std::string*, unsigned*, std::size_t*, double*, std::vector<std::string>*, Properties*>;
  struct Binding {
    std::string name;
    Target target;
  };
  std::vector<Binding> bindings_;
};

}  // namespace tusk::serve
