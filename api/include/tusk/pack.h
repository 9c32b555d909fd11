// A compiled pack: immutable and safe to share between threads. Evaluate listings with a
// Scanner (scanner.h), one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tusk/diagnostic.h"
#include "tusk/limits.h"
#include "tusk/verdict.h"

namespace tusk {

enum class Backend { kAuto, kJit, kInterp };

struct CompileOptions {
  std::string stdlib_dir;          // empty: $TUSK_STDLIB or the built-in standard library
  std::vector<std::string> allow;  // warnings to switch off, by code or name
  Backend backend = Backend::kAuto;
  // kAuto: how many listings are screened on the interpreter before native code is made on a
  // background thread (the JIT module and LLVM loaded, the object taken from the cache or
  // compiled). 0, the default: at once, and a cached object is linked before compile() returns,
  // which suits a service. Loading LLVM costs ~60 ms of CPU and ~40 MB of memory, more than
  // native code saves on a few thousand listings: a short job may set a threshold it will not
  // reach and never load it (docs/embedding.md).
  std::uint64_t native_after = 0;
  Limits limits;  // kept by the pack; every Scanner of it applies them
  // `use "..."`, `load(...)` and pack.yaml's `sources` and `tests` name files in the pack's own
  // directory and the stdlib only (else E050, and nothing is read); these directories are
  // allowed too. compile_sources() never reads pack files from the disk.
  std::vector<std::string> allowed_roots;
  // Compiled artifacts (Vectorscan databases, JIT object code) are cached on disk, keyed by what
  // they are built from (the patterns; the pack digest), library versions and CPU features; a
  // damaged or foreign entry is rebuilt, never loaded (docs/embedding.md). cache_dir empty: $TUSK_CACHE_DIR,
  // else $XDG_CACHE_HOME/tusk, else ~/.cache/tusk.
  bool use_cache = true;
  std::string cache_dir;
};

class Pack;

struct CompileResult {
  std::shared_ptr<const Pack> pack;     // null when there were errors
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order
  std::string rendered;                 // all diagnostics, rustc-style
};

namespace internal {
struct PackImpl;
struct Inspect;
}  // namespace internal

class Pack {
 public:
  // `path` is a pack directory (with pack.yaml) or a single .tusk file.
  static CompileResult compile(const std::string& path, const CompileOptions& options = {});
  // A pack from .tusk files on disk, without a pack.yaml: `files[0]` carries the `pack NAME
  // version "X"` header, the others are further sources of the same pack. Relative `use` and
  // lexicon paths resolve against each file's own directory.
  static CompileResult compile_files(const std::vector<std::string>& files,
                                     const CompileOptions& options = {});
  // A pack from strings: `files` maps relative paths ("pack.yaml", "main.tusk",
  // "lexicons/x.yaml") to their text. `main` is the .tusk file to start from, or "" when
  // `files` holds a pack.yaml. `use std...` modules still come from the stdlib directory.
  static CompileResult compile_sources(const std::map<std::string, std::string>& files,
                                       const std::string& main = "", const CompileOptions& options = {});

  const PackInfo& info() const;
  const Limits& limits() const;
  // Whether the pack reads or updates account state (entities, counters, labels; docs/accounts.md):
  // then a listing's verdict depends on the listings before it, and a batch of listings reads
  // and writes that state once (Scanner::scan_batch). A stateless pack's verdicts do not depend
  // on order or grouping.
  bool stateful() const;
  ~Pack();

  explicit Pack(std::unique_ptr<internal::PackImpl> impl);

 private:
  friend struct internal::Inspect;
  std::unique_ptr<internal::PackImpl> impl_;
};

}  // namespace tusk
