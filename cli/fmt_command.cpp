// `tusk fmt`: canonical layout of .tusk files (dsl/formatter.h), in place or checked for CI.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/diagnostic.h"
#include "cli/commands.h"
#include "dsl/formatter.h"
#include "dsl/parser.h"

namespace tusk::cli {
namespace {

namespace fs = std::filesystem;

struct FmtArgs {
  std::vector<std::string> paths;
  bool check = false;
  bool to_stdout = false;
  int width = 120;
};

// Files named on the command line, and every .tusk file under a named directory, sorted.
bool collect(const std::vector<std::string>& paths, std::vector<std::string>& out) {
  for (const auto& p : paths) {
    if (p != "-" && fs::is_directory(p)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().extension() == ".tusk") found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (p == "-" || fs::exists(p)) {
      out.push_back(p);
    } else {
      fmt::print(stderr, "error: no such file or directory: {}\n", p);
      return false;
    }
  }
  return true;
}

int run_fmt(const FmtArgs& args) {
  std::vector<std::string> files;
  if (!collect(args.paths.empty() ? std::vector<std::string>{"-"} : args.paths, files)) return kExitUsage;
  int status = kExitOk;
  std::size_t changed = 0;
  for (const auto& path : files) {
    std::string text;
    if (path == "-") {
      std::stringstream ss;
      ss << std::cin.rdbuf();
      text = ss.str();
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        fmt::print(stderr, "error: cannot read {}\n", path);
        status = kExitUsage;
        continue;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    base::SourceManager sources;
    const auto& file = sources.add(path == "-" ? "<stdin>" : path, text);
    base::Diagnostics diags;
    const dsl::File ast = dsl::parse(file, diags);
    if (diags.has_errors()) {
      fmt::print(stderr, "{}", base::render_text(diags, sources));
      fmt::print(stderr, "error: {} has syntax errors and was not formatted\n", file.path());
      status = kExitUsage;
      continue;
    }
    const std::string formatted = dsl::format(ast, file, {.max_width = args.width});
    if (args.to_stdout || path == "-") {
      if (!args.check) fmt::print("{}", formatted);
    }
    if (formatted == text) continue;
    ++changed;
    if (args.check) {
      fmt::print("{}: not formatted\n", file.path());
      if (status == kExitOk) status = kExitFindings;
    } else if (!args.to_stdout && path != "-") {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out || !(out << formatted)) {
        fmt::print(stderr, "error: cannot write {}\n", path);
        status = kExitUsage;
        continue;
      }
      fmt::print(stderr, "formatted {}\n", path);
    }
  }
  if (args.check && status != kExitUsage) {
    fmt::print(stderr, "{} of {} file{} would be reformatted\n", changed, files.size(),
               files.size() == 1 ? "" : "s");
  }
  return status;
}

}  // namespace

Action add_fmt_command(CLI::App& app) {
  auto args = std::make_shared<FmtArgs>();
  auto* cmd = app.add_subcommand("fmt", "Format .tusk files in the canonical layout, keeping comments.");
  cmd->add_option(
      "paths", args->paths,
      "Files or directories (every .tusk file below them); `-` or nothing formats standard input to "
      "standard output");
  cmd->add_flag("--check", args->check,
                "Change nothing; list the files that are not formatted and exit 1 if there are any (for CI)");
  cmd->add_flag("--stdout", args->to_stdout, "Print the formatted text instead of rewriting the files");
  cmd->add_option("--width", args->width,
                  "Break lines longer than this many columns where the layout allows (default 120)")
      ->check(CLI::Range(40, 400));
  cmd->footer(
      "The layout: two-space indents; one blank line around every block; attributes of term groups in one "
      "column; "
      "conditions broken before top-level `and`/`or` when too long or when the author broke them; comments "
      "kept "
      "where they were. fmt of fmt is fmt.\n"
      "Exit status: 0 formatted (or, with --check, already formatted); 1 with --check, some files are not "
      "formatted; 2 usage or I/O errors, or files with syntax errors (left untouched).");
  return [args] { return run_fmt(*args); };
}

}  // namespace tusk::cli
