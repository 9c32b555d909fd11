// `tusk bundle`: build a pack bundle (the rollout artifact), verify one, make a signing key
// (docs/bundles.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/json_text.h"
#include "bundle/bundle.h"
#include "cli/commands.h"

namespace tusk::cli {
namespace {

struct BundleArgs {
  std::string pack;
  std::string output;
  std::string sign;
  bool allow_failing_tests = false;
  std::string created_at;
  std::string stdlib;
  std::string backend = "auto";
  // verify
  std::string file;
  std::string public_key;
  std::string format = "text";
  // keygen
  std::string key_output;
  bool force = false;
};

Backend backend_of(const std::string& name) {
  return name == "jit" ? Backend::kJit : name == "interp" ? Backend::kInterp : Backend::kAuto;
}

int run_build(const BundleArgs& args) {
  if (args.pack.empty() || args.output.empty()) {
    fmt::print(stderr, "error: usage: tusk bundle PACK -o FILE.tusk.tar.gz [--sign KEY]\n");
    return kExitUsage;
  }
  bundle::BuildOptions options;
  options.compile.stdlib_dir = args.stdlib;
  options.compile.backend = backend_of(args.backend);
  options.allow_failing_tests = args.allow_failing_tests;
  options.created_at = args.created_at;
  if (!args.sign.empty()) {
    std::ifstream in(args.sign, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "error: cannot read the signing key {}\n", args.sign);
      return kExitUsage;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    options.signing_key_pem = ss.str();
  }
  const bundle::BuildResult r = bundle::build_bundle(args.pack, args.output, options);
  if (!r.diagnostics.empty() && !r.ok) fmt::print(stderr, "{}", r.diagnostics);
  for (const auto& t : r.failed_tests) fmt::print(stderr, "FAIL \"{}\"  ({})\n", t.name, t.where);
  if (!r.ok) {
    fmt::print(stderr, "error: {}\n", r.error);
    return r.pack_errors ? kExitPackErrors : r.usage_error ? kExitUsage : kExitFindings;
  }
  const bundle::Manifest& m = r.manifest;
  std::uint64_t bytes = 0;
  std::size_t std_files = 0;
  for (const auto& x : m.members) {
    bytes += x.size;
    std_files += x.path.rfind("std/", 0) == 0;
  }
  fmt::print("wrote {}: {} {} (digest {})\n", args.output, m.name, m.version, m.digest);
  fmt::print("  {} members ({} of the pack, {} of the standard library), {} bytes unpacked\n",
             m.members.size(), m.members.size() - std_files, std_files, bytes);
  fmt::print("  tests: {} passed, {} failed{}\n", m.tests.passed, m.tests.failed,
             m.tests.failed ? " (allowed by --allow-failing-tests)" : "");
  fmt::print("  {}\n", m.key_id.empty() ? std::string("unsigned") : "signed with key " + m.key_id);
  return kExitOk;
}

int run_verify(const BundleArgs& args) {
  bundle::VerifyOptions options;
  options.public_key_file = args.public_key;
  options.compile.backend = backend_of(args.backend);
  const bundle::Verification v = bundle::verify_bundle(args.file, options);
  const int rc = v.status == bundle::Status::kOk        ? kExitOk
                 : v.status == bundle::Status::kIoError ? kExitUsage
                                                        : kExitFindings;
  const bundle::Manifest& m = v.manifest;
  if (args.format == "json") {
    using base::json_string;
    std::string out = fmt::format("{{\"ok\":{},\"status\":\"{}\"", rc == kExitOk,
                                  rc == kExitOk      ? "ok"
                                  : rc == kExitUsage ? "io_error"
                                                     : "invalid");
    out += ",\"bundle\":" + json_string(args.file);
    if (!m.name.empty()) {
      out += ",\"pack\":{\"name\":" + json_string(m.name) + ",\"version\":" + json_string(m.version) +
             ",\"digest\":" + json_string(m.digest) + "}";
      out +=
          ",\"created_at\":" + json_string(m.created_at) + ",\"tusk_version\":" + json_string(m.tusk_version);
      out += fmt::format(",\"members\":{},\"tests\":{{\"passed\":{},\"failed\":{}}}", m.members.size(),
                         m.tests.passed, m.tests.failed);
    }
    out += fmt::format(",\"signed\":{},\"signature_checked\":{}", v.is_signed, v.signature_checked);
    out += ",\"problems\":[";
    for (std::size_t i = 0; i < v.problems.size(); ++i) {
      out += std::string(i ? "," : "") + "{\"member\":" + json_string(v.problems[i].member) +
             ",\"what\":" + json_string(v.problems[i].what) + "}";
    }
    out += "]}\n";
    fmt::print("{}", out);
  } else if (rc == kExitOk) {
    fmt::print("ok: {}: {} {} (digest {})\n", args.file, m.name, m.version, m.digest);
    fmt::print(
        "  {} members, each matching the manifest; the pack compiles from the bundle to the same digest\n",
        m.members.size());
    fmt::print("  built {} by tusk {}; tests: {} passed, {} failed\n", m.created_at, m.tusk_version,
               m.tests.passed, m.tests.failed);
    if (v.signature_checked) {
      fmt::print("  signature valid: signed with key {}\n", v.key_id);
    } else if (v.is_signed) {
      fmt::print("  signed with key {}, NOT checked (give --public-key)\n", m.key_id);
    } else {
      fmt::print("  unsigned\n");
    }
  }
  if (rc != kExitOk && args.format != "json") {
    if (!v.diagnostics.empty()) fmt::print(stderr, "{}", v.diagnostics);
    for (const auto& p : v.problems) {
      fmt::print(stderr, "{}: {}: {}\n", rc == kExitUsage ? "error" : "FAIL",
                 p.member.empty() ? args.file : p.member, p.what);
    }
    if (rc == kExitFindings) {
      fmt::print(stderr, "verification failed: {} ({} problem{})\n", args.file, v.problems.size(),
                 v.problems.size() == 1 ? "" : "s");
    }
  }
  return rc;
}

int run_keygen(const BundleArgs& args) {
  if (std::string error = bundle::write_key_pair(args.key_output, args.force); !error.empty()) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitUsage;
  }
  fmt::print(
      "wrote {} (private key, mode 0600: keep it secret) and {}.pub (public key: give it to the servers)\n",
      args.key_output, args.key_output);
  return kExitOk;
}

}  // namespace

Action add_bundle_command(CLI::App& app) {
  auto args = std::make_shared<BundleArgs>();
  auto* cmd =
      app.add_subcommand("bundle",
                         "Build a pack bundle (.tusk.tar.gz): the pack's sources, manifest, test results "
                         "and signature, for rollout. Also `bundle verify` and `bundle keygen`.");
  cmd->require_subcommand(0, 1);
  cmd->add_option("pack", args->pack, "Pack directory (with pack.yaml) or a single .tusk file");
  cmd->add_option("-o,--output", args->output, "The bundle to write, e.g. wildlife-1.2.0.tusk.tar.gz")
      ->type_name("FILE");
  cmd->add_option("--sign", args->sign,
                  "Sign the manifest with this Ed25519 private key (from `tusk bundle keygen`)")
      ->type_name("KEY_FILE");
  cmd->add_flag("--allow-failing-tests", args->allow_failing_tests,
                "Bundle the pack even when some of its tests fail (the manifest records how many)");
  cmd->add_option(
         "--created-at", args->created_at,
         "The manifest's creation time (UTC, 2025-01-31T12:00:00Z) instead of now, for reproducible bundles")
      ->type_name("TIME");
  cmd->add_option("--backend", args->backend,
                  "Condition evaluator for running the tests: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "A bundle holds every file that entered the pack's digest (its own files and the standard-library "
      "files it read), "
      "so it compiles to the same digest on a machine with another standard library. See docs/bundles.md.\n"
      "Exit status: 0 written; 1 a test of the pack failed; 2 usage or I/O errors, errors in the pack or its "
      "test "
      "files, a pack that reads files outside its directory.");

  auto* verify = cmd->add_subcommand(
      "verify", "Check a bundle: signature, members, and that it compiles to its digest.");
  verify->add_option("file", args->file, "The bundle (.tusk.tar.gz)")->required();
  verify
      ->add_option("--public-key", args->public_key,
                   "Require a valid signature by this Ed25519 public key (KEY.pub from `tusk bundle keygen`)")
      ->type_name("PUB");
  verify->add_option("--format", args->format, "Report as `text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  verify->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  verify->footer(
      "Checks: safe member names (relative, no `..`), bounded sizes, the manifest's signature when "
      "--public-key is given "
      "(an unsigned bundle then fails), each member's size and SHA-256, no extra or missing member, and that "
      "the pack "
      "compiled from the bundle alone has the manifest's digest.\n"
      "Exit status: 0 verified; 1 verification failed (each failing member and what failed on stderr); 2 "
      "usage or I/O "
      "errors.");

  auto* keygen =
      cmd->add_subcommand("keygen", "Make an Ed25519 key pair for signing bundles: KEY (0600) and KEY.pub.");
  keygen
      ->add_option("-o,--output", args->key_output,
                   "The private key file to write; the public key goes to FILE.pub")
      ->required()
      ->type_name("KEY");
  keygen->add_flag("--force", args->force, "Replace existing key files");

  return [args, verify, keygen] {
    if (verify->parsed()) return run_verify(*args);
    if (keygen->parsed()) return run_keygen(*args);
    return run_build(*args);
  };
}

}  // namespace tusk::cli
