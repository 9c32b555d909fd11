// The front half of the pipeline as one call: read a pack (directory with pack.yaml, or a
// single .tusk file), parse every file it uses, resolve and check. Used by every command.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "compiler/front/check_cache.h"
#include "compiler/front/checked.h"
#include "dsl/ast.h"
#include "dsl/parser.h"

namespace tusk::compiler::front {

struct CheckOptions {
  // Where `use std.x.y` modules are found: <stdlib_dir>/x/y.tusk.
  std::string stdlib_dir;
  // Warnings to drop, by id ("W003") or name ("unused-lexicon").
  std::vector<std::string> allow;
  // Directories besides the pack's own and the stdlib that `use "..."`, `load(...)`, pack.yaml's
  // `sources` and `tests` may name files in. Anything else (an absolute path, `..` out of the
  // pack, a symlink leading out) is E050 and is never read.
  std::vector<std::string> allowed_roots;
  // What the scanner can take, checked here for `tusk check` and Pack::compile alike (E051):
  // lexicon terms plus regexes in the pack (Limits::max_terms_per_pack; 0: no bound), and the
  // bytes of one term (Vectorscan refuses expressions over 16,000 bytes, and a term's expression
  // may take up to 10 bytes per character; no real name or phrase comes near 1 KiB).
  std::uint64_t max_terms_per_pack = 1'000'000;
  std::uint64_t max_term_bytes = 1024;
  dsl::ParseOptions parse;
  // Parsed lexicon files and passed regex checks are kept in memory by content; with
  // `cache.use_disk` also in the artifact cache for the next process (check_cache.h).
  // Pack::compile turns the disk on with CompileOptions::use_cache.
  CheckCacheOptions cache;
};

struct LoadedPack {
  base::SourceManager sources;
  std::vector<dsl::File> files;          // the main file(s) first, then used files, in load order
  std::unique_ptr<CheckedPack> checked;  // null when there were errors
  base::Diagnostics diags;
  // The files that entered the digest, in the order they were read, each under the name the
  // digest gives it: relative to the pack root, or "std/..." for the standard library. A pack
  // bundle (bundle/) packs exactly these.
  std::vector<std::pair<std::string, base::SourceId>> digest_inputs;
};

// Never throws for problems in the pack: they are diagnostics. I/O problems with the pack's
// own files are diagnostics too (E009), since the user fixes them the same way.
std::unique_ptr<LoadedPack> load_pack(const std::string& path, const CheckOptions& options);
// A pack from .tusk files without a pack.yaml: the first carries the pack header, the others
// are further sources of the same pack (like pack.yaml's `sources`). A directory among several
// paths is an error (E009).
std::unique_ptr<LoadedPack> load_pack_files(const std::vector<std::string>& paths,
                                            const CheckOptions& options);

// In-memory pack files, path -> text: a pack compiled from strings (Pack::compile_sources).
// Paths are relative ("pack.yaml", "rules/main.tusk") and `path` names the main one (a .tusk
// file, or "" / a directory holding pack.yaml). Pack files come only from the map, never from
// the disk; stdlib modules (and their lexicon files) are read from options.stdlib_dir.
using VirtualFiles = std::map<std::string, std::string>;
std::unique_ptr<LoadedPack> load_pack(const std::string& path, const CheckOptions& options,
                                      const VirtualFiles& files);

// The default stdlib directory: $TUSK_STDLIB if set, else share/tusk/stdlib beside the installed
// library or executable when it exists, else the one the build was configured with.
std::string default_stdlib_dir();

}  // namespace tusk::compiler::front
