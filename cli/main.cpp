// `tusk`: the command-line front end. Each subcommand lives in its own *_command.cpp.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "cli/commands.h"

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "Tusk: a rule-language compiler and evaluation engine for finding illegal wildlife trade "
      "in online listings.",
      "tusk"};
  app.footer(
      "Exit status (every command): 0 success; 1 findings (failing tests, records that could not be read, "
      "gates not met, warnings with --deny-warnings); 2 usage or I/O errors; 3 the pack has errors.\n"
      "Compiled patterns and machine code are cached in $TUSK_CACHE_DIR (default $XDG_CACHE_HOME/tusk or "
      "~/.cache/tusk); the standard library is read from $TUSK_STDLIB when it is set.\n"
      "Run `tusk COMMAND --help` for the options of a command.");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tusk ") + TUSK_VERSION);

  std::map<CLI::App*, tusk::cli::Action> actions;
  auto add = [&](tusk::cli::Action (*adder)(CLI::App&)) {
    const auto before = app.get_subcommands({}).size();
    auto action = adder(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) actions[subs.back()] = std::move(action);
  };
  add(&tusk::cli::add_check_command);
  add(&tusk::cli::add_scan_command);
  add(&tusk::cli::add_explain_command);
  add(&tusk::cli::add_test_command);
  add(&tusk::cli::add_fmt_command);
  add(&tusk::cli::add_eval_command);
  add(&tusk::cli::add_diff_command);
  add(&tusk::cli::add_bench_command);
  add(&tusk::cli::add_init_command);
  add(&tusk::cli::add_review_command);
  add(&tusk::cli::add_labels_command);
  add(&tusk::cli::add_evidence_command);
  add(&tusk::cli::add_bundle_command);
  add(&tusk::cli::add_serve_command);
  add(&tusk::cli::add_lexicon_command);
  add(&tusk::cli::add_lsp_command);
  add(&tusk::cli::add_stream_command);
  add(&tusk::cli::add_accounts_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? tusk::cli::kExitOk : tusk::cli::kExitUsage;
  }
  for (auto& [sub, action] : actions) {
    if (sub->parsed()) return action();
  }
  return tusk::cli::kExitUsage;
}

}  // namespace

// Commands report their own errors; what escapes them (out of memory, a filesystem error
// thrown by the standard library) is said on stderr instead of aborting without a word.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tusk: error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "tusk: error: an unknown exception\n");
  }
  return tusk::cli::kExitUsage;
}
