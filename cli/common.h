// Helpers shared by the subcommands.
#pragma once

#include <memory>
#include <string>

#include "tusk/pack.h"

namespace tusk::cli {

// Compiles a pack for a command that evaluates it. Diagnostics go to stderr; on errors the
// result is null and the command exits with kExitUsage (a broken pack is not a finding about
// the listings).
std::shared_ptr<const Pack> load_pack_or_report(const std::string& path, const std::string& stdlib,
                                                const std::string& backend);

// The same for a pack bundle (docs/bundles.md), verified before it is used (its signature too
// when `public_key_file` is given). Problems go to stderr; null on failure.
std::shared_ptr<const Pack> load_bundle_or_report(const std::string& path, const std::string& public_key_file,
                                                  const std::string& backend);

bool stderr_is_terminal();

}  // namespace tusk::cli
