// Helpers shared by the subcommands.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tusk/pack.h"

namespace tusk::cli {

// When `auto` makes native code (CompileOptions::native_after). A command starts on the
// interpreter and loads LLVM in the background only after this many listings: `check`-like
// work, `explain` and `test` never pay for LLVM (~60 ms of CPU, ~40 MB), a long run still gets
// native code.
inline constexpr std::uint64_t kNativeAfter = 1000;
// For a command reading these inputs: 0 (native code before the first listing, from the cache
// when it holds it) when they are regular files of at least kNativeBeforeBytes in all, which a
// scan will spend long enough on for native code to pay for LLVM even on one core; else
// kNativeAfter (standard input and small files).
inline constexpr std::uint64_t kNativeBeforeBytes = std::uint64_t{4} << 20;
std::uint64_t native_after_for(const std::vector<std::string>& inputs);

// Compiles a pack for a command that evaluates it. Diagnostics go to stderr; on errors the
// result is null and the command exits with pack_failure_exit(path).
std::shared_ptr<const Pack> load_pack_or_report(const std::string& path, const std::string& stdlib,
                                                const std::string& backend,
                                                std::uint64_t native_after = kNativeAfter);
// The exit status when load_pack_or_report gave nothing: kExitUsage when the path does not
// exist or the failure was not the pack's (no JIT module for `--backend jit`), else kExitPackErrors (a broken
// pack is neither a finding about the listings nor bad usage; every command, `check` included, says so with
// the same status).
int pack_failure_exit(const std::string& path);

// The same for a pack bundle (docs/bundles.md), verified before it is used (its signature too
// when `public_key_file` is given). Problems go to stderr; null on failure.
std::shared_ptr<const Pack> load_bundle_or_report(const std::string& path, const std::string& public_key_file,
                                                  const std::string& backend,
                                                  std::uint64_t native_after = kNativeAfter);

bool stderr_is_terminal();

}  // namespace tusk::cli
