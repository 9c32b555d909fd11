// `tusk lexicon show NAME --pack P`: what a lexicon holds, as the pack compiles it: every term
// with its language, weight and source, the languages it covers and the normalization profile.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "base/diagnostic.h"
#include "base/json_text.h"
#include "cli/commands.h"
#include "compiler/front/driver.h"

namespace tusk::cli {
namespace {

struct LexiconArgs {
  std::string name;
  std::string pack;
  std::string stdlib;
  std::string format = "text";
};

std::string yaml_free(std::string s) {
  for (auto& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

int run_lexicon_show(const LexiconArgs& args) {
  if (!std::filesystem::exists(args.pack)) {
    fmt::print(stderr, "error: no such pack: {}\n", args.pack);
    return kExitUsage;
  }
  compiler::front::CheckOptions options;
  options.stdlib_dir = args.stdlib.empty() ? compiler::front::default_stdlib_dir() : args.stdlib;
  auto pack = compiler::front::load_pack(args.pack, options);
  if (!pack->checked || pack->diags.has_errors()) {
    fmt::print(stderr, "{}", base::render_text(pack->diags, pack->sources));
    fmt::print(stderr, "error: the pack {} has errors; run `tusk check {}`\n", args.pack, args.pack);
    return pack->files.empty() ? kExitUsage : kExitPackErrors;
  }
  const auto& lexicons = pack->checked->lexicons;
  const compiler::front::CheckedLexicon* found = nullptr;
  std::vector<const compiler::front::CheckedLexicon*> by_suffix;
  for (const auto& l : lexicons) {
    if (l.name == args.name) found = &l;
    if (l.name.size() > args.name.size() && l.name.ends_with("." + args.name)) by_suffix.push_back(&l);
  }
  if (found == nullptr && by_suffix.size() == 1) found = by_suffix.front();
  if (found == nullptr) {
    std::vector<std::string> names;
    names.reserve(lexicons.size());
    for (const auto& l : lexicons) names.push_back(l.name);
    fmt::print(stderr, "error: the pack {} uses no lexicon `{}`", args.pack, args.name);
    if (by_suffix.size() > 1) {
      fmt::print(stderr, "; several end so:");
      for (const auto* l : by_suffix) fmt::print(stderr, " {}", l->name);
    } else if (auto near = base::closest_name(args.name, names)) {
      fmt::print(stderr, "; did you mean `{}`?", *near);
    }
    fmt::print(stderr,
               "\n(only lexicons the pack uses are compiled into it; `tusk check --dump plan` lists them)\n");
    return kExitUsage;
  }
  const compiler::front::CheckedLexicon& l = *found;
  const std::string profile = l.profile.empty() ? pack->checked->default_profile : l.profile;
  std::map<std::string, std::size_t> langs;
  for (const auto& t : l.terms) ++langs[t.lang.empty() ? "-" : t.lang];
  auto term_text = [](const compiler::front::CheckedTerm& t) {
    return t.text + (t.prefix ? "*" : "") + (t.edit_distance ? fmt::format("~{}", t.edit_distance) : "");
  };
  if (args.format == "json") {
    std::string out = fmt::format("{{\"lexicon\":{},\"profile\":{},\"terms\":[", base::json_string(l.name),
                                  base::json_string(profile));
    for (std::size_t i = 0; i < l.terms.size(); ++i) {
      const auto& t = l.terms[i];
      out +=
          fmt::format("{}{{\"term\":{},\"lang\":{},\"weight\":{},\"source\":{},\"status\":{},\"note\":{}}}",
                      i ? "," : "", base::json_string(term_text(t)), base::json_string(t.lang), t.weight,
                      base::json_string(t.source), base::json_string(t.status), base::json_string(t.note));
    }
    fmt::print("{}]}}\n", out);
    return kExitOk;
  }
  std::string lang_list;
  for (const auto& [lang, n] : langs) {
    lang_list += fmt::format("{}{} {}", lang_list.empty() ? "" : ", ", lang, n);
  }
  fmt::print("lexicon {}: {} term{}, profile {}\n", l.name, l.terms.size(), l.terms.size() == 1 ? "" : "s",
             profile);
  fmt::print("languages: {}\n\n", lang_list.empty() ? "-" : lang_list);
  std::size_t width = 4;
  for (const auto& t : l.terms) width = std::max(width, term_text(t).size() + 2);
  width = std::min<std::size_t>(width, 40);
  fmt::print("{:<{}} {:<5} {:>6}  {}\n", "term", width, "lang", "weight", "source (status)");
  for (const auto& t : l.terms) {
    std::string source = t.source.empty() ? "-" : yaml_free(t.source);
    if (!t.status.empty()) source += fmt::format(" ({})", t.status);
    fmt::print("{:<{}} {:<5} {:>6}  {}\n", fmt::format("\"{}\"", term_text(t)), width,
               t.lang.empty() ? "-" : t.lang, fmt::format("{:g}", t.weight), source);
  }
  return kExitOk;
}

}  // namespace

Action add_lexicon_command(CLI::App& app) {
  auto args = std::make_shared<LexiconArgs>();
  auto* cmd = app.add_subcommand("lexicon", "Inspect lexicons: `tusk lexicon show NAME --pack P`.");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand(
      "show", "List a lexicon's terms with their languages, weights and sources, and its profile.");
  show->add_option("name", args->name,
                   "Lexicon name: as the pack writes it (`ivory_names`, `std.wildlife.ivory.names`), or "
                   "the last part of a stdlib name when it is unique")
      ->required();
  show->add_option("--pack,-p", args->pack, "Pack directory (with pack.yaml) or a single .tusk file")
      ->required();
  show->add_option("--format", args->format, "`text` (default) or `json`")
      ->check(CLI::IsMember({"text", "json"}));
  show->add_option("--stdlib", args->stdlib,
                   "Directory of the standard library (default: $TUSK_STDLIB or the built-in one)");
  cmd->footer(
      "Shows the lexicon as compiled: after `+`/`-` and loading YAML files, duplicates removed. Only "
      "lexicons the pack "
      "uses are compiled.\nExit status: 0 shown; 2 usage or I/O errors, or no such lexicon; 3 errors in the "
      "pack.");
  return [args] { return run_lexicon_show(*args); };
}

}  // namespace tusk::cli
