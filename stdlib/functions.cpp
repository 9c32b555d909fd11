#include "stdlib/functions.h"

#include <algorithm>
#include <stdexcept>
#include <string>

// builtin_list.inc is written by stdlib/CMakeLists.txt from the glob stdlib/builtins/*.cpp: one
// TUSK_BUILTIN(name) line per file. Registration is therefore a plain function call per
// built-in from here: it does not depend on the order of static initialisers, and the linker
// keeps every built-in's object file because this table references it (a self-registering
// static object in an unreferenced archive member would be dropped silently).
#define TUSK_BUILTIN(name) const FunctionDecl& builtin_##name();
namespace tusk::stdlib {
#include "builtin_list.inc"
}  // namespace tusk::stdlib
#undef TUSK_BUILTIN

namespace tusk::stdlib {

const std::vector<FunctionDecl>& functions() {
  static const std::vector<FunctionDecl> kFunctions = [] {
    std::vector<FunctionDecl> all;
#define TUSK_BUILTIN(name) all.push_back(builtin_##name());
#include "builtin_list.inc"
#undef TUSK_BUILTIN
    // Ids are the order users see (the order the functions were added): dense and unique.
    std::sort(all.begin(), all.end(),
              [](const FunctionDecl& a, const FunctionDecl& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].id != i) {
        throw std::logic_error("built-in ids must be 0..n-1: see " + std::string(all[i].name));
      }
    }
    return all;
  }();
  return kFunctions;
}

const FunctionDecl* find_function(std::string_view name) {
  for (const auto& f : functions()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FunctionDecl& function(FunctionId id) { return functions().at(static_cast<std::size_t>(id)); }

}  // namespace tusk::stdlib
