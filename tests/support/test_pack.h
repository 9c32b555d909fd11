// Test support (header only, so it stays out of the library): a one-file pack compiled from
// its source text, with the repository's standard library.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tusk/pack.h"

namespace tusk::testing {

inline std::shared_ptr<const Pack> compile_test_pack(const std::string& source, CompileOptions options = {}) {
  options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  CompileResult result = Pack::compile_sources({{"main.tusk", source}}, "main.tusk", options);
  EXPECT_TRUE(result.pack) << result.rendered;
  return result.pack;
}

}  // namespace tusk::testing
