// Pack bundles: the rollout artifact (docs/bundles.md). A bundle is a .tar.gz holding a pack's
// sources exactly as they entered its digest (its own files and the standard-library files it
// read), its YAML test files, a manifest (manifest.json: name, version, digest, members with
// their SHA-256 and size, test results) and, when signed, a detached Ed25519 signature of the
// manifest bytes (manifest.sig).
//
// This header is what `tusk bundle`, `tusk scan --pack FILE.tusk.tar.gz`, `tusk serve` and
// `tusk stream` use; it carries no third-party type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tusk/pack.h"

namespace tusk::bundle {

inline constexpr int kFormat = 1;  // manifest.json "format"

// Bounds on what a bundle may hold; a bundle over any of them is refused before its members
// are unpacked any further (a gzip bomb or a huge member costs at most these bytes of memory).
struct Bounds {
  std::uint64_t max_archive_bytes = 256ull << 20;  // the .tar.gz file itself
  std::uint64_t max_member_bytes = 64ull << 20;    // one member, unpacked
  std::uint64_t max_total_bytes = 256ull << 20;    // all members, unpacked
  std::size_t max_members = 10000;
};

struct Member {
  std::string path;  // "pack/..." (the pack's files), "std/..." (standard library)
  std::string role;  // "source" (entered the digest) or "test" (a YAML test file of pack.yaml)
  std::uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
};

struct TestSummary {
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool failures_allowed = false;  // built with --allow-failing-tests
};

struct Manifest {
  int format = kFormat;
  std::string name;
  std::string version;
  std::string digest;        // the pack digest (SHA-256 of its sources), as `tusk check` prints it
  std::string main;          // "" for a pack with pack.yaml, else the main .tusk file (under pack/)
  std::string tusk_version;  // of the `tusk` that built the bundle
  std::string created_at;    // UTC, "2025-01-31T12:00:00Z"
  std::string key_id;        // of the signing key (base/signature.h ed25519_key_id); "" unsigned
  TestSummary tests;
  std::vector<Member> members;  // every member but manifest.json and manifest.sig, in archive order
};

inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kSignatureName = "manifest.sig";

// ---- building ----

struct BuildOptions {
  CompileOptions compile;       // stdlib_dir, backend, ... for compiling the pack directory
  std::string signing_key_pem;  // an Ed25519 private key (PEM); empty: an unsigned bundle
  bool allow_failing_tests = false;
  std::string created_at;  // empty: now; set for reproducible bundles
  Bounds bounds;           // a bundle that its own verifier would refuse is not written
};

struct FailedTest {
  std::string name;
  std::string where;  // file:line
};

struct BuildResult {
  bool ok = false;
  // Not ok for any reason but failing tests (exit 2 of `tusk bundle`, as errors in a pack are
  // for every command but `check`): errors in the pack or its test files, a bad key, I/O.
  bool usage_error = false;
  // Refused for errors in the pack or its test files: exit status 3, as for every command
  // that compiles a pack (usage_error is set too, for callers that only tell the two apart).
  bool pack_errors = false;
  std::string error;        // one line, when not ok
  std::string diagnostics;  // rendered compile or test-file diagnostics, when there were any
  std::vector<FailedTest> failed_tests;
  Manifest manifest;  // when ok
};

// Compiles the pack at `pack_path` (directory or .tusk file), runs its tests (inline blocks and
// the `tests:` files of pack.yaml, as `tusk test` does), and writes the bundle to `out_path`
// (atomically: a temporary file renamed into place). Refuses a pack with errors, failing tests
// (unless allowed) or files outside its directory, and checks that the bundle's files compile
// in memory to the same digest before writing it.
BuildResult build_bundle(const std::string& pack_path, const std::string& out_path,
                         const BuildOptions& options);

// ---- verifying and loading ----

struct VerifyOptions {
  // The Ed25519 public key (PEM) the manifest must be signed with; when set, an unsigned or
  // badly signed bundle is refused. `public_key_file` is read when `public_key_pem` is empty.
  std::string public_key_pem;
  std::string public_key_file;
  // How to compile the pack from the bundle: backend, limits, cache. `stdlib_dir` is ignored:
  // the standard-library files come from the bundle.
  CompileOptions compile;
  Bounds bounds;
};

struct Problem {
  std::string member;  // the member at fault; "" for the bundle as a whole
  std::string what;
};

enum class Status {
  kOk,
  kInvalid,  // the bundle failed verification (exit 1 of `tusk bundle verify`)
  kIoError,  // the bundle or the key could not be read (exit 2)
};

struct Verification {
  Status status = Status::kInvalid;
  std::vector<Problem> problems;     // empty when kOk
  Manifest manifest;                 // as read, when manifest.json could be read
  bool is_signed = false;            // manifest.sig is present
  bool signature_checked = false;    // and was found valid against the configured key
  std::string key_id;                // of the configured public key, when one is
  std::string diagnostics;           // rendered compile diagnostics when the bundled pack does not compile
  std::shared_ptr<const Pack> pack;  // the pack compiled from the bundle, when kOk
  // "member: what" for each problem, one per line.
  std::string describe() const;
};

// Every check of docs/bundles.md ("Verifying"): bounds, member names, the manifest's signature,
// each member's size and SHA-256, no extra or missing member, then the pack compiled from the
// bundle's files in memory with the digest the manifest names. Never throws for a bad bundle.
Verification verify_bundle(const std::string& path, const VerifyOptions& options);

struct LoadResult {
  std::shared_ptr<const Pack> pack;  // null on failure
  Manifest manifest;
  Status status = Status::kInvalid;
  std::string error;  // on failure: what failed, naming the member
};

// For `tusk serve`, `tusk stream` and `tusk scan`: a compiled pack from a verified bundle, or
// why not. Safe to call from any thread; it reads the file once and touches nothing shared but
// a private temporary directory (see docs/bundles.md).
LoadResult load_bundle(const std::string& path, const VerifyOptions& options = {});

// True when `path` names a bundle rather than a pack directory or .tusk file: it ends in
// ".tar.gz" or ".tgz".
bool is_bundle_path(const std::string& path);

// ---- keys ----

// Writes a new Ed25519 key pair: the private key to `private_path` (mode 0600, created
// exclusively unless `overwrite`) and the public key to `private_path` + ".pub" (0644).
// Returns "" on success, else the error.
std::string write_key_pair(const std::string& private_path, bool overwrite);

}  // namespace tusk::bundle
