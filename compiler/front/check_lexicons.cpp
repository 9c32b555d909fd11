// Lexicons (inline terms, algebra, YAML files) and regexes: evaluated once per declaration,
// checked for terms Vectorscan cannot match as written, and interned into the checked pack
// only when a rule, template or suggestion uses them.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {
namespace {

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Terms are compared ASCII-case-insensitively: the runtime folds case before matching.
std::string term_key(const std::string& text, bool prefix, int edit_distance) {
  // Built by hand: this runs for every term of every lexicon on each load (~30,000 times for the
  // wildlife pack), and formatting it was a visible part of the load.
  std::string k;
  k.reserve(text.size() + 12);
  for (char c : text) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  k += '\x1f';
  k += prefix ? "true" : "false";
  k += '\x1f';
  k += std::to_string(edit_distance);
  return k;
}
std::string term_key(const CheckedTerm& t) { return term_key(t.text, t.prefix, t.edit_distance); }

}  // namespace

void Checker::check_lexicon_decls() {
  for (auto& sym : syms_) {
    if (sym.kind != SymKind::kLexicon) continue;
    const auto* decl = static_cast<const dsl::LexiconDecl*>(sym.decl);
    if (decl->profile) {
      const auto& profiles = known_profiles();
      if (std::find(profiles.begin(), profiles.end(), decl->profile->name) == profiles.end()) {
        auto b = diags_.report(base::DiagCode::kUnknownProfile, decl->profile->span,
                               fmt::format("unknown normalization profile `{}`", decl->profile->name));
        b.label("not a profile");
        if (auto near = did_you_mean(decl->profile->name, profiles)) {
          b.help(fmt::format("did you mean `{}`?", *near));
        }
        b.note("profiles: default, strict, evasive, no_diacritics");
      }
    }
    eval_lexicon(sym);
  }
  for (auto& sym : syms_) {
    if (sym.kind == SymKind::kLexicon && sym.ok && sym.terms.empty() && in_.units[sym.unit].module.empty()) {
      diags_
          .report(base::DiagCode::kEmptyLexicon, sym.span, fmt::format("lexicon `{}` has no terms", sym.name))
          .label("this lexicon can never match")
          .help("add terms, or remove the lexicon");
    }
  }
}

bool Checker::eval_lexicon(Symbol& sym) {
  if (sym.state == 2) return sym.ok;
  if (sym.state == 1) return false;  // the caller reports the cycle
  sym.state = 1;
  const auto* decl = static_cast<const dsl::LexiconDecl*>(sym.decl);
  std::vector<CheckedTerm> terms;
  sym.ok = decl->body != nullptr && eval_lexicon_expr(*decl->body, sym.unit, terms);
  // Algebra may bring the same term twice; the first one (and its attributes) wins.
  std::unordered_set<std::string> seen;
  seen.reserve(terms.size());
  sym.terms.reserve(terms.size());
  for (auto& t : terms) {
    if (seen.insert(term_key(t)).second) sym.terms.push_back(std::move(t));
  }
  sym.state = 2;
  return sym.ok;
}

// Checks that apply to every term wherever it was written.
// `report_empty` is off for inline terms: the parser already rejects `""` there.
static void check_term(const CheckedTerm& t, base::Diagnostics& diags, bool& ok, bool report_empty) {
  if (t.text.empty()) {
    if (report_empty) {
      diags.report(base::DiagCode::kBadTerm, t.span, "empty term").label("this term has no text");
    }
    ok = false;
    return;
  }
  if (t.text.find('*') != std::string::npos) {
    diags.report(base::DiagCode::kBadTerm, t.span, "`*` can only end a term")
        .label("`*` in the middle of a term")
        .help("a trailing `*` matches a word prefix (\"tusk*\"); for anything else use a regex");
    ok = false;
  }
  if (t.edit_distance > 0 && static_cast<std::size_t>(t.edit_distance) >= code_points(t.text)) {
    diags
        .report(base::DiagCode::kBadTerm, t.span,
                fmt::format("edit distance {} is not smaller than the term's length", t.edit_distance))
        .label("this would match almost any short word")
        .help(fmt::format("use `~{}` or less",
                          code_points(t.text) > 1 ? std::min<std::size_t>(2, code_points(t.text) - 1) : 0));
    ok = false;
  } else if (t.edit_distance > 2) {
    diags
        .report(base::DiagCode::kSlowEditDistance, t.span,
                fmt::format("edit distance {} is slow and noisy", t.edit_distance))
        .label("above 2")
        .help("use `~1` or `~2`, and list the misspellings you have seen as terms");
  }
}

bool Checker::eval_lexicon_expr(const dsl::LexiconExpr& e, std::size_t unit, std::vector<CheckedTerm>& out) {
  return std::visit(
      [&](const auto& node) -> bool {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, dsl::LexiconRef>) {
          Symbol* sym = nullptr;
          if (auto it = by_name_.find(qualify(unit, node.name.str())); it != by_name_.end()) {
            sym = &syms_[it->second];
          }
          if (sym == nullptr) sym = lookup(node.name);
          if (sym == nullptr) {
            auto b = diags_.report(base::DiagCode::kUnknownLexicon, node.name.span,
                                   fmt::format("unknown lexicon `{}`", node.name.str()));
            b.label("no lexicon has this name");
            if (auto near = suggest(node.name.str(), names_of(SymKind::kLexicon))) {
              b.help(fmt::format("did you mean `{}`?", *near)).fix(node.name.span, *near);
            }
            return false;
          }
          if (sym->kind != SymKind::kLexicon) {
            report_wrong_kind(*sym, node.name.span, "a lexicon", "");
            return false;
          }
          sym->used = true;
          if (sym->state == 1) {
            diags_
                .report(base::DiagCode::kReferenceCycle, node.name.span,
                        fmt::format("lexicon `{}` includes itself", sym->name))
                .label("this reference closes the cycle")
                .secondary(sym->span, "the lexicon being defined")
                .help("lexicons combined with `+` and `-` must not refer back to themselves");
            return false;
          }
          if (!eval_lexicon(*sym)) return false;
          out.insert(out.end(), sym->terms.begin(), sym->terms.end());
          return true;
        } else if constexpr (std::is_same_v<T, dsl::LexiconLoad>) {
          if (!in_.load_lexicon) return false;
          auto terms = in_.load_lexicon(in_.units[unit].dir, node.path);
          if (!terms) return false;
          bool ok = true;
          std::unordered_map<std::string, const CheckedTerm*> seen;
          seen.reserve(terms->size());
          for (const auto& t : *terms) {
            check_term(t, diags_, ok, true);
            if (t.weight < 0 || t.weight > 10) {
              diags_
                  .report(base::DiagCode::kWeightOutOfRange, t.span,
                          fmt::format("weight {} is outside [0, 10]", t.weight))
                  .label("this term's weight");
            }
            if (auto [it, fresh] = seen.emplace(term_key(t), &t); !fresh) {
              diags_
                  .report(base::DiagCode::kDuplicateTerm, t.span,
                          fmt::format("term \"{}\" appears twice", t.text))
                  .label("duplicate")
                  .secondary(it->second->span, "first listed here");
            }
          }
          out.insert(out.end(), std::make_move_iterator(terms->begin()),
                     std::make_move_iterator(terms->end()));
          return ok;
        } else if constexpr (std::is_same_v<T, dsl::LexiconInline>) {
          const std::size_t before = diags_.error_count();
          inline_terms(node, out);
          return diags_.error_count() == before;
        } else {
          std::vector<CheckedTerm> lhs, rhs;
          const bool ok_l = node.lhs && eval_lexicon_expr(*node.lhs, unit, lhs);
          const bool ok_r = node.rhs && eval_lexicon_expr(*node.rhs, unit, rhs);
          if (node.op == dsl::LexiconOp::kUnion) {
            out.insert(out.end(), std::make_move_iterator(lhs.begin()), std::make_move_iterator(lhs.end()));
            out.insert(out.end(), std::make_move_iterator(rhs.begin()), std::make_move_iterator(rhs.end()));
          } else {
            // Difference removes a term whatever its attributes: "ivory" - "ivory"~1 keeps nothing.
            std::set<std::string> drop;
            for (const auto& t : rhs) drop.insert(term_key(t.text, t.prefix, 0));
            for (auto& t : lhs) {
              if (!drop.count(term_key(t.text, t.prefix, 0))) out.push_back(std::move(t));
            }
          }
          return ok_l && ok_r;
        }
      },
      e.node);
}

void Checker::inline_terms(const dsl::LexiconInline& body, std::vector<CheckedTerm>& out) {
  std::map<std::string, base::Span> seen;
  bool ok = true;
  for (const auto& g : body.groups) {
    if (g.weight && (g.weight->value < 0 || g.weight->value > 10)) {
      diags_
          .report(base::DiagCode::kWeightOutOfRange, g.weight->span,
                  fmt::format("weight {} is outside [0, 10]", g.weight->text))
          .label("expected a weight from 0 to 10")
          .help("weights scale a term's evidence; 1 is the default");
    }
    for (const auto& t : g.terms) {
      CheckedTerm ct;
      ct.text = t.text;
      ct.prefix = t.prefix;
      ct.edit_distance = t.edit_distance;
      ct.lang = g.lang ? g.lang->name : "";
      ct.weight = g.weight ? g.weight->value : 1.0;
      ct.note = g.note ? g.note->value : "";
      ct.span = t.span;
      check_term(ct, diags_, ok, false);
      if (auto [it, fresh] = seen.emplace(term_key(ct), t.span); !fresh) {
        diags_
            .report(base::DiagCode::kDuplicateTerm, t.span,
                    fmt::format("term \"{}{}\" appears twice in this lexicon", t.text, t.prefix ? "*" : ""))
            .label("duplicate")
            .secondary(it->second, "first listed here")
            .help("remove one of them");
      }
      out.push_back(std::move(ct));
    }
  }
}

std::optional<LexiconId> Checker::intern_lexicon(Symbol& sym) {
  sym.used = true;
  if (!eval_lexicon(sym)) return std::nullopt;
  if (!sym.lexicon_id) {
    const auto* decl = static_cast<const dsl::LexiconDecl*>(sym.decl);
    CheckedLexicon cl;
    cl.name = sym.name;
    cl.profile = decl->profile ? decl->profile->name : "";
    cl.terms = sym.terms;
    cl.span = sym.span;
    sym.lexicon_id = static_cast<LexiconId>(out_->lexicons.size());
    out_->lexicons.push_back(std::move(cl));
  }
  return sym.lexicon_id;
}

void Checker::check_regex_decls() {
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& sym : syms_) {
    if (sym.kind != SymKind::kRegex) continue;
    const auto* decl = static_cast<const dsl::RegexDecl*>(sym.decl);
    all.emplace_back(decl->regex.pattern, decl->regex.flags);
  }
  // Compiling each regex costs Vectorscan's fixed setup (~50 ms for the wildlife pack's); a list
  // that all passed before, with this Vectorscan, passes again.
  const std::string key = regex_check_key(all);
  if (find_check_result(key, in_.cache)) return;
  bool all_ok = true;
  for (auto& sym : syms_) {
    if (sym.kind != SymKind::kRegex) continue;
    const auto* decl = static_cast<const dsl::RegexDecl*>(sym.decl);
    if (auto err = regex_error(decl->regex.pattern, decl->regex.flags)) {
      diags_
          .report(base::DiagCode::kBadRegex, decl->regex_span,
                  fmt::format("Vectorscan cannot compile regex `{}`", sym.name))
          .label(*err)
          .note("regexes use Vectorscan's linear-time syntax: no backreferences or lookaround");
      sym.ok = false;
      all_ok = false;
    }
  }
  if (all_ok) remember_check_result(key, in_.cache);
}

std::optional<RegexId> Checker::intern_regex(Symbol& sym) {
  sym.used = true;
  if (!sym.ok) return std::nullopt;
  if (!sym.regex_id) {
    const auto* decl = static_cast<const dsl::RegexDecl*>(sym.decl);
    sym.regex_id = static_cast<RegexId>(out_->regexes.size());
    out_->regexes.push_back(CheckedRegex{sym.name, decl->regex.pattern, decl->regex.flags, decl->regex_span});
  }
  return sym.regex_id;
}

std::optional<RegexId> Checker::inline_regex(const dsl::RegexLitExpr& r, base::Span span) {
  if (auto err = regex_error(r.pattern, r.flags)) {
    diags_.report(base::DiagCode::kBadRegex, span, "Vectorscan cannot compile this regex")
        .label(*err)
        .note("regexes use Vectorscan's linear-time syntax: no backreferences or lookaround");
    return std::nullopt;
  }
  out_->regexes.push_back(CheckedRegex{"", r.pattern, r.flags, span});
  return static_cast<RegexId>(out_->regexes.size() - 1);
}

}  // namespace tusk::compiler::front
