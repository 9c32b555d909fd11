// manifest.json of a bundle: written by build_bundle, read (strictly) by verify_bundle.
#pragma once

#include <string>

#include "bundle/bundle.h"

namespace tusk::bundle {

// The manifest as JSON text (UTF-8, members one per line, trailing newline). These exact bytes
// are what manifest.sig signs.
std::string manifest_json(const Manifest& manifest);

// Parses manifest.json. Returns "" and fills `out`, or what is wrong with it.
std::string parse_manifest(const std::string& text, Manifest& out);

}  // namespace tusk::bundle
