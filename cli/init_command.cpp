// `tusk init NAME`: a new pack with one rule and one passing test, ready for `tusk test`.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli/commands.h"

namespace tusk::cli {
namespace {

namespace fs = std::filesystem;

struct InitArgs {
  std::string name;
  std::string dir;
};

constexpr const char* kManifest = R"(name: {name}
version: "0.1.0"
description: >-
  What this pack looks for, for the people who review its verdicts.
owners:
  - policy-team@example.org
sources:
  - {file}.tusk
# How text and terms are normalized before matching (docs/language.md): no_diacritics matches
# in any case, width or accent ("ivory" matches "ÍVÓRY"); `default` keeps accents significant.
default_profile: no_diacritics
# YAML test files (docs/workflow.md): tables of listings with expectations.
# tests:
#   - tests/cases.yaml
currency:
  base: USD
  as_of: 2025-01-02
  rates:
    USD: 1
    EUR: 1.035
    GBP: 1.245
    CNY: 0.1366
)";

constexpr const char* kSource = R"(pack {name} version "0.1.0"

// Terms to look for. Latin-script terms match whole words, a trailing * matches a word prefix,
// and CJK terms match anywhere. Text and terms are normalized first (case, width and, with
// pack.yaml's default_profile no_diacritics, accents).
lexicon ivory_terms {{
  "ivory", "elephant tusk*" @en
  "象牙"                    @zh
}}

// "Ivory" as a colour is not ivory.
lexicon colour_words {{ "ivory colour", "ivory color", "ivory white" }}

rule mentions_ivory {{
  when text mentions ivory_terms and not text mentions colour_words
  score 50
  reason "mentions ivory: {{hits(ivory_terms)}}"
}}

decide {{
  block  when score >= 80
  review when score >= 40
  allow  otherwise
}}

test "a carved ivory figurine goes to review" {{
  listing {{ title: "Carved ivory figurine", category: "antiques", price: 300, currency: "USD" }}
  expect review
  expect fired mentions_ivory
  expect evidence "ivory"
}}
)";

int run_init(const InitArgs& args) {
  static const std::regex kName(R"([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)");
  if (!std::regex_match(args.name, kName)) {
    fmt::print(stderr,
               "error: `{}` is not a pack name: use letters, digits and `_`, parts joined by dots "
               "(wildlife.ivory)\n",
               args.name);
    return kExitUsage;
  }
  const std::string last = args.name.substr(args.name.rfind('.') + 1);
  const fs::path dir = args.dir.empty() ? fs::path(last) : fs::path(args.dir);
  std::error_code ec;
  if (fs::exists(dir) && !fs::is_empty(dir, ec)) {
    fmt::print(stderr, "error: {} already exists and is not empty\n", dir.string());
    return kExitUsage;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "error: cannot create {}: {}\n", dir.string(), ec.message());
    return kExitUsage;
  }
  const std::pair<fs::path, std::string> files[] = {
      {dir / "pack.yaml", fmt::format(kManifest, fmt::arg("name", args.name), fmt::arg("file", last))},
      {dir / (last + ".tusk"), fmt::format(kSource, fmt::arg("name", args.name))},
  };
  for (const auto& [path, text] : files) {
    std::ofstream out(path, std::ios::binary);
    if (!out || !(out << text)) {
      fmt::print(stderr, "error: cannot write {}\n", path.string());
      return kExitUsage;
    }
    fmt::print("created {}\n", path.string());
  }
  fmt::print("\nnext: tusk test {}\n", dir.string());
  return kExitOk;
}

}  // namespace

Action add_init_command(CLI::App& app) {
  auto args = std::make_shared<InitArgs>();
  auto* cmd = app.add_subcommand(
      "init", "Create a new pack: pack.yaml and a .tusk file with one rule and one passing test.");
  cmd->add_option("name", args->name, "Pack name, e.g. `wildlife.ivory`; the directory is its last part")
      ->required();
  cmd->add_option("--dir", args->dir, "Create the pack here instead (must not exist or be empty)");
  cmd->footer("Exit status: 0 created; 2 a bad name, a directory that is not empty, or I/O errors.");
  return [args] { return run_init(*args); };
}

}  // namespace tusk::cli
