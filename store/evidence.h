// Evidence bundles: one tar.gz holding what an investigator needs to check a flagged listing
// without trusting Tusk or the store — the record bytes and their SHA-256, the verdict and its
// explanation, receipt and decision times, the reviewers' decisions and notes, the hash-chain
// links of these rows, the pack and standard-library sources that decided (so the verdict can be
// reproduced), and a manifest of member hashes, signed with Ed25519 when a key is given
// (docs/evidence.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/store.h"
#include "tusk/pack.h"

namespace tusk::store {

// The standard library a command uses: `given`, else $TUSK_STDLIB, else the built-in one.
std::string effective_stdlib(const std::string& given);

// The files a pack is built from, keyed as the store keeps them: "pack/<path in the pack
// directory>" (or "pack/<file>" for a one-file pack) and "std/<path>" for the standard
// library's .tusk and .yaml files. Throws StoreError when the pack cannot be read.
std::map<std::string, std::string> collect_pack_sources(const std::string& pack_path,
                                                        const std::string& stdlib_dir);

// The same keys for a compiled pack, from the files that entered its digest (tusk/pack_sources.h):
// right for a pack loaded from a bundle too, whose files are nowhere on disk.
std::map<std::string, std::string> sources_of(const Pack& pack);

struct ExportOptions {
  Selection selection;
  std::string sign_key_pem;  // empty: the manifest is not signed
  // Where the store has no sources for a verdict's pack digest: a pack directory (and stdlib)
  // whose digest must be that one.
  std::string pack_dir, stdlib_dir;
};

struct ExportResult {
  std::size_t verdicts = 0, decisions = 0, members = 0;
  bool signed_ = false;
  std::vector<std::string> warnings;
};

// Writes the bundle to `path`. Throws StoreError (nothing selected, missing pack sources,
// unwritable file, bad key).
ExportResult export_evidence(Store& store, const ExportOptions& options, const std::string& path);

struct VerifyOptions {
  std::string public_key_pem;  // empty: the key bundled with the manifest (integrity only)
  bool reproduce = true;
};

struct VerifyReport {
  bool ok = true;
  std::vector<std::string> passed;    // checks that held, one line each
  std::vector<std::string> problems;  // each names the member (path in the archive) at fault
  std::vector<std::string> notes;
};

VerifyReport verify_evidence(const std::string& path, const VerifyOptions& options);

}  // namespace tusk::store
