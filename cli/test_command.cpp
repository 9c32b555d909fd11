// `tusk test`: run a pack's tests (inline and YAML), explain each failure, report coverage.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include <cstdio>

#include "api/inspect.h"
#include "base/json_text.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "tools/test_runner.h"

namespace tusk::cli {
namespace {

struct TestArgs {
  std::string pack;
  std::vector<std::string> filters;
  std::vector<std::string> test_files;
  bool coverage = false;
  double coverage_min = -1;
  std::string format = "text";
  bool verbose = false;
  std::string stdlib;
  std::string backend = "auto";
  bool watch = false;
  unsigned watch_runs = 0;  // re-runs before stopping; 0 = until interrupted
};

std::string indent(const std::string& text, int n) {
  std::string out, pad(n, ' ');
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string::npos ? text.size() : nl;
    out += pad + text.substr(pos, end - pos) + "\n";
    pos = end + 1;
  }
  return out;
}

int run_test(const TestArgs& args) {
  auto pack = load_pack_or_report(args.pack, args.stdlib, args.backend);
  if (!pack) return pack_failure_exit(args.pack);

  std::vector<tools::TestCase> cases = tools::inline_tests(*pack);
  base::SourceManager sources;
  base::Diagnostics diags;
  const tools::WorkflowSettings settings = tools::workflow_settings(args.pack);
  std::vector<std::string> files = settings.test_files;
  files.insert(files.end(), args.test_files.begin(), args.test_files.end());
  // pack.yaml `limits: {min_coverage: N}` is the default gate; the command line overrides it.
  const double coverage_min = args.coverage_min >= 0 ? args.coverage_min : settings.min_coverage.value_or(-1);
  for (const auto& f : files) tools::load_test_file(f, *pack, sources, diags, cases);
  if (!diags.all().empty()) {
    diags.sort();
    fmt::print(stderr, "{}", base::render_text(diags, sources));
    if (diags.has_errors()) {
      fmt::print(stderr, "error: the test files have errors\n");
      return kExitPackErrors;
    }
  }

  tools::TestRunner runner(pack);
  std::size_t passed = 0, failed = 0, filtered = 0;
  std::string text, json_tests;
  for (const auto& c : cases) {
    const bool selected =
        args.filters.empty() || std::any_of(args.filters.begin(), args.filters.end(),
                                            [&](const auto& f) { return tools::name_matches(c.name, f); });
    if (!selected) {
      ++filtered;
      continue;
    }
    const tools::CaseResult r = runner.run(c);
    const std::string where = fmt::format("{}:{}", c.file, c.line);
    if (r.passed) {
      ++passed;
      if (args.verbose) text += fmt::format("ok   \"{}\"  ({})\n", c.name, where);
    } else {
      ++failed;
      text += fmt::format("FAIL \"{}\"  ({})\n", c.name, where);
      if (!r.error.empty()) text += fmt::format("  the listing cannot be read: {}\n", r.error);
      for (const auto& f : r.failures) {
        text += fmt::format("  expected: {}\n  got:      {}\n", f.expected, f.actual);
      }
      text += indent(r.explanation, 4);
      text += "\n";
    }
    if (!json_tests.empty()) json_tests += ',';
    json_tests += "{\"name\":" + base::json_string(c.name) + ",\"file\":" + base::json_string(c.file) +
                  fmt::format(",\"line\":{},\"passed\":{}", c.line, r.passed ? "true" : "false");
    if (!r.passed) {
      json_tests +=
          fmt::format(",\"action\":\"{}\",\"score\":{}", to_string(r.verdict.action), r.verdict.score);
      if (!r.error.empty()) json_tests += ",\"error\":" + base::json_string(r.error);
      json_tests += ",\"failures\":[";
      for (std::size_t i = 0; i < r.failures.size(); ++i) {
        json_tests += std::string(i ? "," : "") +
                      "{\"expected\":" + base::json_string(r.failures[i].expected) +
                      ",\"actual\":" + base::json_string(r.failures[i].actual) + "}";
      }
      json_tests += "],\"explanation\":" + base::json_string(r.explanation);
    }
    json_tests += "}";
  }

  const bool want_coverage = args.coverage || coverage_min >= 0;
  const auto summary = runner.coverage().summary();
  const bool below = coverage_min >= 0 && summary.percent() + 1e-9 < coverage_min;
  const PackInfo& info = pack->info();
  if (args.format == "json") {
    std::string out = "{\"pack\":{\"name\":" + base::json_string(info.name) +
                      ",\"version\":" + base::json_string(info.version) +
                      ",\"digest\":" + base::json_string(info.digest) + "}";
    out += fmt::format(",\"passed\":{},\"failed\":{},\"filtered\":{},\"tests\":[{}]", passed, failed,
                       filtered, json_tests);
    if (want_coverage) {
      out += ",\"coverage\":" + runner.coverage().json();
      if (coverage_min >= 0) {
        out += fmt::format(",\"coverage_min\":{},\"coverage_ok\":{}", coverage_min, !below);
      }
    }
    out += "}\n";
    fmt::print("{}", out);
  } else {
    fmt::print("{}", text);
    if (want_coverage) {
      fmt::print("{}", runner.coverage().text());
      if (below) fmt::print("coverage {:.1f}% is below the minimum {}%\n", summary.percent(), coverage_min);
    }
    fmt::print("test result: {}. {} passed; {} failed; {} filtered out ({} {})\n", failed ? "FAILED" : "ok",
               passed, failed, filtered, info.name, info.version);
  }
  return failed > 0 || below ? kExitFindings : kExitOk;
}

// `--watch`: the newest modification time over the pack's sources (.tusk and .yaml files
// under the pack directory, or beside a single-file pack) and the test files. Polled, so it
// works on every filesystem; bounded to the first kMaxWatched files.
std::filesystem::file_time_type newest_change(const TestArgs& args) {
  namespace fs = std::filesystem;
  constexpr std::size_t kMaxWatched = 10000;
  std::error_code ec;
  fs::file_time_type newest = fs::file_time_type::min();  // not {}: file_clock's epoch is in the future
  std::size_t seen = 0;
  auto consider = [&](const fs::path& p) {
    const auto ext = p.extension();
    if (ext != ".tusk" && ext != ".yaml" && ext != ".yml") return;
    ++seen;
    const auto t = fs::last_write_time(p, ec);
    if (!ec && t > newest) newest = t;
  };
  const fs::path root =
      fs::is_directory(args.pack, ec) ? fs::path(args.pack) : fs::path(args.pack).parent_path();
  if (fs::is_directory(args.pack, ec)) {
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator() && seen < kMaxWatched; it.increment(ec)) {
      if (it->is_regular_file(ec)) consider(it->path());
    }
  } else {
    consider(args.pack);
    for (const auto& e : fs::directory_iterator(root.empty() ? fs::path(".") : root, ec)) {
      if (seen >= kMaxWatched) break;
      if (e.is_regular_file(ec)) consider(e.path());
    }
  }
  for (const auto& f : args.test_files) consider(f);
  return newest;
}

int watch_tests(const TestArgs& args) {
  // The baseline is taken before each run, so that a save during a run triggers the next.
  auto last = newest_change(args);
  int status = run_test(args);
  std::fflush(stdout);
  for (unsigned runs = 0; args.watch_runs == 0 || runs < args.watch_runs;) {
    fmt::print(stderr, "watching {} for changes (Ctrl-C stops)\n", args.pack);
    while (true) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      const auto now = newest_change(args);
      if (now != last) {
        last = now;
        break;
      }
    }
    // Let an editor finish writing (several files, or write-then-rename) before reading.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    last = newest_change(args);
    fmt::print(stderr, "\n-- change detected, running the tests again\n");
    status = run_test(args);
    std::fflush(stdout);
    ++runs;
  }
  return status;
}

}  // namespace

Action add_test_command(CLI::App& app) {
  auto args = std::make_shared<TestArgs>();
  auto* cmd = app.add_subcommand("test", "Run a pack's tests: inline `test` blocks and YAML test files.");
  cmd->add_option("pack", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")->required();
  cmd->add_option(
         "--filter,-f", args->filters,
         "Run only tests whose name contains NAME (or matches it as a glob when it has * or ?); repeatable")
      ->type_name("NAME");
  cmd->add_option("--tests,-t", args->test_files,
                  "Also run this YAML test file (besides the `tests:` files of pack.yaml); repeatable")
      ->type_name("FILE");
  cmd->add_flag(
      "--coverage", args->coverage,
      "Report rules never fired, rules never seen not firing, decide branches never taken and lexicon "
      "terms never matched");
  cmd->add_option("--coverage-min", args->coverage_min,
                  "Exit 1 when coverage (rule outcomes and decide branches, in percent) is below PCT; "
                  "implies --coverage. "
                  "Default: `limits: {min_coverage: PCT}` in pack.yaml")
      ->type_name("PCT")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--format", args->format,
                  "Report as `text` (default) or `json` (one object on stdout, for CI)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--verbose,-v", args->verbose, "List passing tests too");
  cmd->add_flag(
      "--watch,-w", args->watch,
      "Run again whenever a .tusk or .yaml file of the pack (or a --tests file) changes; Ctrl-C stops");
  cmd->add_option("--watch-runs", args->watch_runs,
                  "With --watch: stop after N re-runs (default: until interrupted)")
      ->type_name("N");
  cmd->add_option("--backend", args->backend, "Condition evaluator: auto, jit or interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  cmd->add_option("--stdlib", args->stdlib,
                  "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "For each failing test: every expectation that failed with what came out instead, then the trimmed "
      "explain "
      "trace (fields with their hits, the fired rules and their evidence, the condition tree of each rule an "
      "expectation names, and the decide branches).\n"
      "YAML test files: see docs/workflow.md.\n"
      "Exit status: 0 all tests passed; 1 a test failed or coverage is below --coverage-min; 2 usage or I/O "
      "errors; "
      "3 errors in the pack or its test files.");
  return [args] { return args->watch ? watch_tests(*args) : run_test(*args); };
}

}  // namespace tusk::cli
