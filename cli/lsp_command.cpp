// `tusk lsp`: the language server for editors, speaking LSP over stdin/stdout (lsp/server.h).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "lsp/server.h"

namespace tusk::cli {
namespace {

struct LspArgs {
  std::string stdlib;
  bool stdio = false;
};

}  // namespace

Action add_lsp_command(CLI::App& app) {
  auto args = std::make_shared<LspArgs>();
  auto* cmd = app.add_subcommand("lsp", "Run the language server for editors (LSP over stdin and stdout).");
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  // Editors' clients pass --stdio by convention; stdio is the only transport.
  cmd->add_flag("--stdio", args->stdio, "Speak over stdin and stdout (the default and only transport)");
  cmd->footer(
      "The editor starts this command; it is not meant to be typed. Documents are checked as they are "
      "edited, "
      "with their unsaved text (docs/editors.md).\n"
      "Exit status: 0 after the client's shutdown request; 1 when the input ends or `exit` comes without "
      "it.");
  return [args] {
    std::ios::sync_with_stdio(false);
    return lsp::serve(std::cin, std::cout, {.stdlib_dir = args->stdlib});
  };
}

}  // namespace tusk::cli
