// The checker's driver and name tables: declarations are collected first (so that order of
// declaration never matters), then lexicons, regexes, rules, decide, suggestions and tests
// are checked in that order. Errors never stop the run; a name that failed to resolve is
// not reported again by the type checks that use it.
#include <fmt/format.h>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {

const char* kind_word(SymKind k) {
  switch (k) {
    case SymKind::kLexicon:
      return "lexicon";
    case SymKind::kRegex:
      return "regex";
    case SymKind::kRule:
      return "rule";
    case SymKind::kAlternative:
      return "alternative";
    case SymKind::kEntity:
      return "entity";
    case SymKind::kCounter:
      return "counter";
  }
  return "?";
}

Checker::Checker(const CheckInput& in, const base::SourceManager& sources, base::Diagnostics& diags)
    : in_(in), sources_(sources), diags_(diags), out_(std::make_unique<CheckedPack>()) {}

std::unique_ptr<CheckedPack> Checker::run() {
  const std::size_t errors_before = diags_.error_count();
  out_->name = in_.name;
  out_->version = in_.version;
  out_->fields = stdlib::default_fields();
  for (const stdlib::Field& f : in_.manifest.fields) {
    if (auto id = out_->find_field(f.path)) {
      out_->fields[*id] = f;  // a pack may retype a default field
    } else {
      out_->fields.push_back(f);
    }
  }
  out_->default_profile = in_.manifest.default_profile;
  if (!in_.manifest.default_profile.empty()) {
    const auto& profiles = known_profiles();
    if (std::find(profiles.begin(), profiles.end(), in_.manifest.default_profile) == profiles.end()) {
      auto b = diags_.report(base::DiagCode::kUnknownProfile, in_.manifest.default_profile_span,
                             fmt::format("unknown normalization profile `{}`", in_.manifest.default_profile));
      b.label("not a profile");
      if (auto near = did_you_mean(in_.manifest.default_profile, profiles)) {
        b.help(fmt::format("did you mean `{}`?", *near));
      }
      b.note("profiles: default, strict, evasive, no_diacritics");
    }
  }
  out_->base_currency = in_.manifest.base_currency;
  out_->rates_as_of = in_.manifest.rates_as_of;
  out_->rates = in_.manifest.rates;

  declare_all();
  declare_accounts();
  check_lexicon_decls();
  check_regex_decls();
  order_rules();
  check_rules();
  check_decide();
  check_accounts();
  check_suggestions();
  check_tests();
  report_unused();
  check_declared_languages();
  if (diags_.error_count() > errors_before) return nullptr;
  return std::move(out_);
}

std::string Checker::qualify(std::size_t unit, const std::string& name) const {
  const std::string& m = in_.units[unit].module;
  return m.empty() ? name : m + "." + name;
}

void Checker::declare(SymKind kind, const std::string& bare, base::Span span, std::size_t unit,
                      const void* decl) {
  const std::string name = qualify(unit, bare);
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    const Symbol& first = syms_[it->second];
    diags_.report(base::DiagCode::kDuplicateName, span, fmt::format("`{}` is declared twice", name))
        .label(fmt::format("second declaration of this {}", kind_word(kind)))
        .secondary(first.span, fmt::format("first defined here (as a {})", kind_word(first.kind)))
        .help("rename one of them");
    return;
  }
  Symbol s;
  s.kind = kind;
  s.name = name;
  s.span = span;
  s.unit = unit;
  s.decl = decl;
  if (kind == SymKind::kAlternative) {
    const auto* a = static_cast<const dsl::AlternativeDecl*>(decl);
    CheckedAlternative ca;
    ca.name = name;
    ca.span = a->span;
    for (const auto& t : a->texts) ca.texts.emplace_back(t.lang ? t.lang->name : "", t.text.value);
    s.index = out_->alternatives.size();
    out_->alternatives.push_back(std::move(ca));
  }
  by_name_[name] = syms_.size();
  syms_.push_back(std::move(s));
}

void Checker::declare_all() {
  for (std::size_t u = 0; u < in_.units.size(); ++u) {
    const CheckUnit& unit = in_.units[u];
    const bool is_module = !unit.module.empty();
    for (const auto& d : unit.file->decls) {
      std::visit(
          [&](const auto& decl) {
            using T = std::decay_t<decltype(decl)>;
            if constexpr (std::is_same_v<T, dsl::LexiconDecl>) {
              declare(SymKind::kLexicon, decl.name.name, decl.name.span, u, &decl);
            } else if constexpr (std::is_same_v<T, dsl::RegexDecl>) {
              declare(SymKind::kRegex, decl.name.name, decl.name.span, u, &decl);
            } else if constexpr (std::is_same_v<T, dsl::AlternativeDecl>) {
              declare(SymKind::kAlternative, decl.name.name, decl.name.span, u, &decl);
            } else if constexpr (std::is_same_v<T, dsl::RuleDecl>) {
              if (is_module) {
                diags_
                    .report(base::DiagCode::kNotAllowedInModule, decl.name.span,
                            fmt::format("module `{}` declares a rule", unit.module))
                    .label("rules belong in a pack")
                    .note("a library module may declare lexicons, regexes and alternatives");
                return;
              }
              const std::size_t before = syms_.size();
              declare(SymKind::kRule, decl.name.name, decl.name.span, u, &decl);
              if (syms_.size() == before) return;  // duplicate: reported, not checked twice
              syms_.back().index = rules_.size();
              rules_.push_back(RuleInfo{&decl, u, syms_.size() - 1, {}, 0, false});
            } else if constexpr (std::is_same_v<T, dsl::EntityDecl> || std::is_same_v<T, dsl::CounterDecl> ||
                                 std::is_same_v<T, dsl::LabelDecl> ||
                                 std::is_same_v<T, dsl::AccountDecideDecl>) {
              if (is_module) {
                base::Span at = decl.span;
                at.end = std::min(at.end, at.begin + 6u);
                diags_
                    .report(base::DiagCode::kNotAllowedInModule, at,
                            fmt::format("module `{}` declares account state", unit.module))
                    .label("not allowed in a library module")
                    .note("entities, counters, labels and `decide account` belong in a pack");
              }
            } else if constexpr (std::is_same_v<T, dsl::DecideDecl> || std::is_same_v<T, dsl::SuggestDecl> ||
                                 std::is_same_v<T, dsl::TestDecl>) {
              if (is_module) {
                const char* what = std::is_same_v<T, dsl::DecideDecl>    ? "a `decide` block"
                                   : std::is_same_v<T, dsl::SuggestDecl> ? "a `suggest`"
                                                                         : "a test";
                base::Span at = decl.span;
                at.end = std::min(at.end, at.begin + (std::is_same_v<T, dsl::DecideDecl>    ? 6u
                                                      : std::is_same_v<T, dsl::SuggestDecl> ? 7u
                                                                                            : 4u));
                diags_
                    .report(base::DiagCode::kNotAllowedInModule, at,
                            fmt::format("module `{}` declares {}", unit.module, what))
                    .label("not allowed in a library module")
                    .note("a library module may declare lexicons, regexes and alternatives");
              }
            }
          },
          d);
    }
  }
}

Symbol* Checker::lookup(const dsl::QualifiedName& name) {
  auto it = by_name_.find(name.str());
  return it == by_name_.end() ? nullptr : &syms_[it->second];
}

std::vector<std::string> Checker::names_of(SymKind kind) const {
  std::vector<std::string> out;
  for (const auto& s : syms_) {
    if (s.kind == kind) out.push_back(s.name);
  }
  return out;
}

// Did-you-mean that also finds a module declaration by its last part: `code_words` when only
// `std.wildlife.ivory.code_words` exists.
// A name offered as a suggestion is not also reported as unused: the typo is the problem.
std::optional<std::string> Checker::suggest(const std::string& name,
                                            const std::vector<std::string>& candidates) {
  std::optional<std::string> out;
  for (const auto& c : candidates) {
    const auto dot = c.rfind('.');
    if (dot != std::string::npos && c.substr(dot + 1) == name) out = c;
  }
  // `std.alternatives.tagua` -> `std.alternatives.tagua_carving`, when only one name starts so.
  if (!out) {
    std::vector<std::string> prefixed;
    for (const auto& c : candidates) {
      if (c.size() > name.size() && c.compare(0, name.size(), name) == 0 && c[name.size()] == '_') {
        prefixed.push_back(c);
      }
    }
    if (prefixed.size() == 1) out = prefixed[0];
  }
  if (!out) out = did_you_mean(name, candidates);
  if (out) {
    if (auto it = by_name_.find(*out); it != by_name_.end()) syms_[it->second].used = true;
  }
  return out;
}

void Checker::report_wrong_kind(const Symbol& sym, base::Span span, const char* expected, const char* hint) {
  auto b = diags_.report(
      base::DiagCode::kWrongKind, span,
      fmt::format("`{}` is a {}, but {} is expected here", sym.name, kind_word(sym.kind), expected));
  b.label(fmt::format("this is a {}", kind_word(sym.kind)));
  b.secondary(sym.span, fmt::format("`{}` is declared here", sym.name));
  if (hint != nullptr && *hint != '\0') b.help(hint);
}

std::string Checker::slice(base::Span span) const {
  if (!span.valid()) return {};
  return std::string(sources_.file(span.source).slice(span));
}

std::optional<stdlib::FieldId> Checker::find_field(const std::string& path) const {
  return out_->find_field(path);
}

std::unique_ptr<CheckedPack> check_pack(const CheckInput& input, const base::SourceManager& sources,
                                        base::Diagnostics& diags) {
  return Checker(input, sources, diags).run();
}

}  // namespace tusk::compiler::front
