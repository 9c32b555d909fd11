// The Tusk language server: LSP 3.17 over a pair of streams (stdio in `tusk lsp`).
//
// Each open document belongs to a pack: the nearest directory above it with a pack.yaml, else
// the file on its own (a module file is parsed on its own). The pack is checked by the front
// end with the open documents' unsaved text in place of the files on disk, after each burst
// of edits (messages that arrived together are handled before checking), and before any
// request that reads the result.
#pragma once

#include <iosfwd>
#include <string>

namespace tusk::lsp {

struct ServerOptions {
  std::string stdlib_dir;  // empty: compiler::default_stdlib_dir()
};

// Serves until `exit` or the end of input. Returns the process exit code: 0 after a
// `shutdown` request, 1 otherwise (as the protocol asks).
int serve(std::istream& in, std::ostream& out, const ServerOptions& options);

}  // namespace tusk::lsp
