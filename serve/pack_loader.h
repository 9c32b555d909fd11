// Turning the configured `--pack PATH` into a compiled pack that is ready to serve. The loader
// is a plain function so that other artifact formats (a signed bundle file) can be plugged in
// later without touching the server: whatever it returns has been compiled and has passed its
// own tests, or says why not.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tusk/pack.h"

namespace tusk::serve {

struct LoadedPack {
  std::shared_ptr<const Pack> pack;  // null when the pack was rejected
  std::string error;                 // why it was rejected (compile errors, failing tests)
  std::string stage;                 // "compile" or "test" when rejected
  // Rejected for errors in the pack or its test files (not for a missing file or failing
  // tests): at startup that is exit status 3, as for every command that compiles a pack.
  bool pack_errors = false;
  std::size_t tests_passed = 0;
};

using PackLoader = std::function<LoadedPack(const std::string& path, const CompileOptions& options)>;

// The loader for a pack directory (with pack.yaml) or a single .tusk file: compiles it, then
// runs its inline tests and the YAML test files its pack.yaml lists, as `tusk test` does. A
// pack with compile errors or a failing test is rejected.
LoadedPack load_pack_source(const std::string& path, const CompileOptions& options);

}  // namespace tusk::serve
