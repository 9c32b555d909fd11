// Lexicon YAML files: `terms:` is a list of plain strings or of maps
// {term, lang, weight, note, source, status, prefix, edit_distance}.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "compiler/front/checker.h"
#include "compiler/front/yaml_bounds.h"
#include "compiler/front/yaml_span.h"

namespace tusk::compiler::front {

namespace {
std::optional<std::vector<CheckedTerm>> parse_terms(const base::SourceFile& file, base::Diagnostics& diags) {
  using base::DiagCode;
  if (auto bounds = check_yaml_aliases(file.text())) {
    diags
        .report(DiagCode::kBadLexiconFile, yaml_span(file, bounds->mark),
                fmt::format("lexicon file has {}", bounds->message))
        .label("this alias is over the limit")
        .help(fmt::format("write the terms out; at most {} aliases adding at most {} MiB are expanded",
                          kMaxYamlAliases, kMaxYamlAliasBytes >> 20));
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(file.text());
  } catch (const YAML::ParserException& e) {
    diags
        .report(DiagCode::kBadLexiconFile, yaml_span(file, e.mark),
                fmt::format("lexicon file is not valid YAML: {}", e.msg))
        .label("here");
    return std::nullopt;
  }
  const base::Span start{file.id(), 0, static_cast<std::uint32_t>(file.line_text(1).size())};
  if (!root.IsMap() || !root["terms"]) {
    diags.report(DiagCode::kBadLexiconFile, start, "a lexicon file needs a `terms:` list")
        .label("no `terms` key")
        .help("write `terms: [ {term: \"ivory\", lang: en, source: \"...\"} ]`");
    return std::nullopt;
  }
  const YAML::Node terms = root["terms"];
  if (!terms.IsSequence()) {
    diags.report(DiagCode::kBadLexiconFile, yaml_span(file, terms), "`terms` must be a list")
        .label("expected a list of terms");
    return std::nullopt;
  }
  static const std::vector<std::string> kKeys = {"term",   "lang",   "weight", "note",
                                                 "source", "status", "prefix", "edit_distance"};
  static const std::vector<std::string> kStatuses = {"sourced", "sourced_translation",
                                                     "sourced_fiction_or_blog", "unverified"};
  std::vector<CheckedTerm> out;
  bool ok = true;
  auto bad = [&](const YAML::Node& n, std::string msg, std::string label) {
    diags.report(DiagCode::kBadLexiconFile, yaml_span(file, n), std::move(msg)).label(std::move(label));
    ok = false;
  };
  for (const auto& item : terms) {
    CheckedTerm t;
    t.span = yaml_span(file, item);
    if (item.IsScalar()) {
      t.text = item.Scalar();
    } else if (item.IsMap()) {
      for (auto it = item.begin(); it != item.end(); ++it) {
        const std::string key = it->first.Scalar();
        const YAML::Node v = it->second;  // a copy: `->` yields a temporary
        if (!v.IsScalar()) {
          bad(v, fmt::format("`{}` must be a single value", key), "expected a scalar");
          continue;
        }
        const std::string& s = v.Scalar();
        if (key == "term") {
          t.text = s;
          t.span = yaml_span(file, v);
        } else if (key == "lang") {
          t.lang = s;
        } else if (key == "note") {
          t.note = s;
        } else if (key == "source") {
          t.source = s;
        } else if (key == "status") {
          t.status = s;
          if (std::find(kStatuses.begin(), kStatuses.end(), s) == kStatuses.end()) {
            bad(v, fmt::format("unknown status `{}`", s),
                "expected sourced, sourced_translation, sourced_fiction_or_blog or unverified");
          }
        } else if (key == "weight") {
          char* end = nullptr;
          t.weight = std::strtod(s.c_str(), &end);
          if (s.empty() || *end != '\0') bad(v, "`weight` must be a number", "expected a number");
        } else if (key == "prefix") {
          if (s == "true") {
            t.prefix = true;
          } else if (s != "false") {
            bad(v, "`prefix` must be true or false", "expected true or false");
          }
        } else if (key == "edit_distance") {
          char* end = nullptr;
          const long d = std::strtol(s.c_str(), &end, 10);
          if (s.empty() || *end != '\0' || d < 0 || d > 9) {
            bad(v, "`edit_distance` must be an integer from 0 to 9", "expected 0, 1 or 2");
          } else {
            t.edit_distance = static_cast<int>(d);
          }
        } else {
          auto b = diags.report(DiagCode::kBadLexiconFile, yaml_span(file, it->first),
                                fmt::format("unknown key `{}` in a term", key));
          b.label("not a term attribute");
          if (auto near = did_you_mean(key, kKeys)) b.help(fmt::format("did you mean `{}`?", *near));
          ok = false;
        }
      }
      if (!item["term"]) {
        bad(item, "a term entry has no `term`", "needs `term: \"...\"`");
        continue;
      }
    } else {
      bad(item, "a term must be a string or a mapping", "expected `\"ivory\"` or `{term: \"ivory\", ...}`");
      continue;
    }
    if (!t.text.empty() && t.text.back() == '*') {
      t.text.pop_back();
      t.prefix = true;
    }
    out.push_back(std::move(t));
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::vector<CheckedTerm>> parse_lexicon_file(const base::SourceFile& file,
                                                           base::Diagnostics& diags) {
  try {
    return parse_terms(file, diags);
  } catch (const YAML::Exception& e) {
    diags
        .report(base::DiagCode::kBadLexiconFile, yaml_span(file, e.mark),
                fmt::format("lexicon file is not valid: {}", e.msg))
        .label("here");
    return std::nullopt;
  }
}

}  // namespace tusk::compiler::front
