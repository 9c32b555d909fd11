// pack.yaml `languages:` against the standard library's product families: a family the pack
// uses (`use std.wildlife.<family>`) with no name in a declared language cannot find that
// product in listings written in it, which the pack's readers would not expect (W013).
#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {

namespace {

constexpr std::string_view kFamilyPrefix = "std.wildlife.";
// The lexicons that name a family's product, as the coverage matrix counts them (docs/stdlib.md).
constexpr std::string_view kNameLexicons[] = {"names", "names_unverified", "species", "pharmacopoeia"};

// "zh-Hant" -> "zh": a name in any variety of a language names the product in that language.
std::string primary_subtag(std::string_view code) { return std::string(code.substr(0, code.find('-'))); }

}  // namespace

void Checker::check_declared_languages() {
  const auto& declared = in_.manifest.languages;
  if (declared.empty()) return;
  // Each family module loaded by the pack, with the languages of its names. Scientific names
  // (`la`) and terms tagged `mul` name the product in no single language.
  std::map<std::string, std::set<std::string>> families;
  std::set<std::string> with_names;
  for (const CheckUnit& unit : in_.units) {
    const std::string& m = unit.module;
    if (m.size() > kFamilyPrefix.size() && m.compare(0, kFamilyPrefix.size(), kFamilyPrefix) == 0 &&
        m.find('.', kFamilyPrefix.size()) == std::string::npos) {
      families[m];
    }
  }
  for (const Symbol& sym : syms_) {
    if (sym.kind != SymKind::kLexicon) continue;
    const std::string& m = in_.units[sym.unit].module;
    auto it = families.find(m);
    if (it == families.end()) continue;
    const std::string_view group = std::string_view(sym.name).substr(m.size() + 1);
    if (std::find(std::begin(kNameLexicons), std::end(kNameLexicons), group) == std::end(kNameLexicons)) {
      continue;
    }
    with_names.insert(m);
    for (const CheckedTerm& t : sym.terms) {
      const std::string lang = primary_subtag(t.lang);
      if (!lang.empty() && lang != "la" && lang != "mul") it->second.insert(lang);
    }
  }
  for (const ManifestLanguage& l : declared) {
    const std::string lang = primary_subtag(l.code);
    for (const auto& [family, langs] : families) {
      if (with_names.count(family) == 0 || langs.count(lang) != 0) continue;  // intent: no names to miss
      auto b = diags_.report(
          base::DiagCode::kLanguageNotCovered, l.span,
          fmt::format("pack declares language \"{}\" but family {} has no name in it", l.code, family));
      b.label("declared here");
      std::string have;
      for (const auto& x : langs) have += (have.empty() ? "" : ", ") + x;
      b.note(fmt::format("{} has names in: {}", family,
                         have.empty() ? "none (only scientific or `mul` names)" : have));
      b.help(fmt::format(
          "add sourced names in `{}` to the family (see the coverage matrix in docs/stdlib.md), or "
          "drop the language from `languages`",
          lang));
    }
  }
}

}  // namespace tusk::compiler::front
