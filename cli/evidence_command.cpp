// `tusk evidence`: export an evidence bundle from a verdict store, and verify one (docs/evidence.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "store/evidence.h"

namespace tusk::cli {
namespace {

struct EvidenceArgs {
  std::string store, listing, seller, case_id, output, sign, pack, stdlib;
  std::string file, public_key;
  bool no_reproduce = false;
};

bool slurp(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int run_export(const EvidenceArgs& args) {
  store::ExportOptions options;
  options.selection = {args.listing, args.seller, args.case_id};
  if ((!args.listing.empty()) + (!args.seller.empty()) + (!args.case_id.empty()) != 1) {
    fmt::print(stderr, "error: give exactly one of --listing, --seller or --case\n");
    return kExitUsage;
  }
  if (!args.sign.empty() && !slurp(args.sign, options.sign_key_pem)) {
    fmt::print(stderr, "error: cannot read the signing key {}\n", args.sign);
    return kExitUsage;
  }
  options.pack_dir = args.pack;
  options.stdlib_dir = args.stdlib;
  try {
    auto db = store::Store::open(args.store);
    const auto r = store::export_evidence(*db, options, args.output);
    for (const auto& w : r.warnings) fmt::print(stderr, "warning: {}\n", w);
    fmt::print(stderr, "wrote {}: {} verdict{}, {} decision{}, {} members, {}\n", args.output, r.verdicts,
               r.verdicts == 1 ? "" : "s", r.decisions, r.decisions == 1 ? "" : "s", r.members,
               r.signed_ ? "manifest signed (Ed25519)" : "not signed");
    return kExitOk;
  } catch (const store::StoreError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
}

int run_verify(const EvidenceArgs& args) {
  store::VerifyOptions options;
  if (!args.public_key.empty() && !slurp(args.public_key, options.public_key_pem)) {
    fmt::print(stderr, "error: cannot read the public key {}\n", args.public_key);
    return kExitUsage;
  }
  options.reproduce = !args.no_reproduce;
  std::ifstream probe(args.file, std::ios::binary);
  if (!probe) {
    fmt::print(stderr, "error: cannot read {}\n", args.file);
    return kExitUsage;
  }
  const store::VerifyReport r = store::verify_evidence(args.file, options);
  for (const auto& p : r.passed) fmt::print("ok      {}\n", p);
  for (const auto& p : r.problems) fmt::print("FAILED  {}\n", p);
  for (const auto& n : r.notes) fmt::print("note    {}\n", n);
  fmt::print("{}\n", r.ok ? "VERIFIED: every check passed"
                          : fmt::format("NOT VERIFIED: {} problem{}", r.problems.size(),
                                        r.problems.size() == 1 ? "" : "s"));
  return r.ok ? kExitOk : kExitFindings;
}

}  // namespace

Action add_evidence_command(CLI::App& app) {
  auto args = std::make_shared<EvidenceArgs>();
  auto* cmd = app.add_subcommand("evidence",
                                 "Evidence bundles for investigators: export from a verdict store, verify.");
  cmd->require_subcommand(1);
  auto* exp = cmd->add_subcommand("export",
                                  "Write one tar.gz with the records, verdicts, decisions, pack and hashes.");
  exp->add_option("--store", args->store, "Verdict store: sqlite:PATH or postgresql://...")->required();
  exp->add_option("--listing", args->listing, "Every stored verdict about this listing id");
  exp->add_option("--seller", args->seller, "Every stored verdict about this seller id");
  exp->add_option("--case", args->case_id,
                  "Every verdict attached to this case (`tusk review decide --case`)");
  exp->add_option("-o,--output", args->output, "The bundle to write (.tar.gz)")->required();
  exp->add_option("--sign", args->sign, "Sign the manifest with this Ed25519 private key (PEM)");
  exp->add_option("--pack", args->pack,
                  "Pack directory to bundle when the store lacks a verdict's pack sources");
  exp->add_option("--stdlib", args->stdlib,
                  "Standard library for --pack (default: $TUSK_STDLIB or the built-in one)");
  auto* ver =
      cmd->add_subcommand("verify", "Check every hash and the signature, and re-run the bundled pack.");
  ver->add_option("file", args->file, "The bundle (.tar.gz)")->required();
  ver->add_option("--public-key", args->public_key,
                  "The signer's Ed25519 public key (PEM): proves who signed");
  ver->add_flag("--no-reproduce", args->no_reproduce,
                "Check hashes and signature only; do not re-run the pack");
  cmd->footer(
      "Exit status: 0 exported / verified; 1 the bundle failed a check (each failure names the member); 2 "
      "usage, "
      "I/O or store errors.");
  return [args, exp] { return exp->parsed() ? run_export(*args) : run_verify(*args); };
}

}  // namespace tusk::cli
