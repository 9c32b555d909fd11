// The files a compiled pack was built from, exactly as they entered its digest: what a pack
// bundle (docs/bundles.md) packs so that the pack compiles the same elsewhere.
#pragma once

#include <string>
#include <vector>

#include "tusk/pack.h"

namespace tusk {

struct PackSource {
  // The name the digest gives the file: its path relative to the pack's root ("pack.yaml",
  // "rules/main.tusk", "lexicons/x.yaml"), "std/..." for a file of the standard library, or the
  // bare file name of a file that lies outside both.
  std::string path;
  std::string text;  // its bytes
};

// Every file that entered the pack's digest, in the order the compiler read them.
std::vector<PackSource> pack_sources(const Pack& pack);

}  // namespace tusk
