// Helpers shared by the subcommands.
#pragma once

#include <memory>
#include <string>

#include "tusk/pack.h"

namespace tusk::cli {

// Compiles a pack for a command that evaluates it. Diagnostics go to stderr; on errors the
// result is null and the command exits with pack_failure_exit(path).
std::shared_ptr<const Pack> load_pack_or_report(const std::string& path, const std::string& stdlib,
                                                const std::string& backend);
// The exit status when load_pack_or_report gave nothing: kExitUsage when the path does not
// exist, else kExitPackErrors (a broken pack is neither a finding about the listings nor bad
// usage; every command, `check` included, says so with the same status).
int pack_failure_exit(const std::string& path);

// The same for a pack bundle (docs/bundles.md), verified before it is used (its signature too
// when `public_key_file` is given). Problems go to stderr; null on failure.
std::shared_ptr<const Pack> load_bundle_or_report(const std::string& path, const std::string& public_key_file,
                                                  const std::string& backend);

bool stderr_is_terminal();

}  // namespace tusk::cli
