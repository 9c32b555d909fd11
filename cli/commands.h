// Each subcommand registers its options on the CLI11 app and returns the action that runs it.
// Exit codes are shared by all commands (documented in `tusk --help`).
#pragma once

#include <functional>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace
class App;
}

namespace tusk::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;    // failing tests, records in error, gates not met, denied warnings
inline constexpr int kExitUsage = 2;       // bad usage, unreadable files
inline constexpr int kExitPackErrors = 3;  // the pack has errors (every command, `check` included)

using Action = std::function<int()>;

Action add_check_command(CLI::App& app);
Action add_scan_command(CLI::App& app);
Action add_explain_command(CLI::App& app);
Action add_test_command(CLI::App& app);
Action add_fmt_command(CLI::App& app);
Action add_eval_command(CLI::App& app);
Action add_diff_command(CLI::App& app);
Action add_bench_command(CLI::App& app);
Action add_init_command(CLI::App& app);
Action add_review_command(CLI::App& app);
Action add_labels_command(CLI::App& app);
Action add_evidence_command(CLI::App& app);
Action add_bundle_command(CLI::App& app);
Action add_serve_command(CLI::App& app);
Action add_lexicon_command(CLI::App& app);
Action add_lsp_command(CLI::App& app);
Action add_stream_command(CLI::App& app);
Action add_accounts_command(CLI::App& app);

}  // namespace tusk::cli
