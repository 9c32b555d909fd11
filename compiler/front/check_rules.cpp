// Rules (reference graph, cycles, order), decide, suggestions, templates and unused-name lints.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <queue>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {

void Checker::collect_rule_refs(const dsl::Expr& e, RuleInfo& info) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, dsl::NameExpr>) {
          if (Symbol* s = lookup(n.name); s && s->kind == SymKind::kRule) {
            info.refs.push_back({s->index, n.name.span});
          }
        } else if constexpr (std::is_same_v<T, dsl::UnaryExpr>) {
          collect_rule_refs(*n.operand, info);
        } else if constexpr (std::is_same_v<T, dsl::BinaryExpr>) {
          collect_rule_refs(*n.lhs, info);
          collect_rule_refs(*n.rhs, info);
        } else if constexpr (std::is_same_v<T, dsl::InSetExpr>) {
          collect_rule_refs(*n.value, info);
        } else if constexpr (std::is_same_v<T, dsl::ConvertExpr>) {
          collect_rule_refs(*n.money, info);
        } else if constexpr (std::is_same_v<T, dsl::CallExpr>) {
          for (const auto& a : n.args) collect_rule_refs(*a, info);
        }
      },
      e.node);
}

// Rules are evaluated dependencies first; among rules that are ready together the one
// declared first goes first, so that the order is stable under unrelated edits.
void Checker::order_rules() {
  for (auto& r : rules_) {
    if (r.decl->when) collect_rule_refs(*r.decl->when, r);
  }
  const std::size_t n = rules_.size();
  // Tarjan's strongly connected components; any component with a cycle is reported once.
  std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  int counter = 0, comps = 0;
  std::function<void(std::size_t)> strong = [&](std::size_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (const auto& ref : rules_[v].refs) {
      if (index[ref.rule] < 0) {
        strong(ref.rule);
        low[v] = std::min(low[v], low[ref.rule]);
      } else if (on_stack[ref.rule]) {
        low[v] = std::min(low[v], index[ref.rule]);
      }
    }
    if (low[v] == index[v]) {
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        comp[w] = comps;
      } while (w != v);
      ++comps;
    }
  };
  for (std::size_t v = 0; v < n; ++v) {
    if (index[v] < 0) strong(v);
  }
  std::vector<bool> reported(static_cast<std::size_t>(comps), false);
  for (std::size_t start = 0; start < n; ++start) {
    const int c = comp[start];
    if (reported[static_cast<std::size_t>(c)]) continue;
    // A path start -> ... -> start inside the component, found breadth-first (shortest cycle).
    std::vector<std::optional<std::pair<std::size_t, std::size_t>>> prev(n);  // (rule, ref index)
    std::queue<std::size_t> q;
    q.push(start);
    std::optional<std::size_t> closing_from, closing_ref;
    std::vector<bool> seen(n, false);
    seen[start] = true;
    while (!q.empty() && !closing_from) {
      const std::size_t v = q.front();
      q.pop();
      for (std::size_t k = 0; k < rules_[v].refs.size(); ++k) {
        const std::size_t w = rules_[v].refs[k].rule;
        if (comp[w] != c) continue;
        if (w == start) {
          closing_from = v;
          closing_ref = k;
          break;
        }
        if (!seen[w]) {
          seen[w] = true;
          prev[w] = {{v, k}};
          q.push(w);
        }
      }
    }
    if (!closing_from) continue;
    reported[static_cast<std::size_t>(c)] = true;
    cycles_ = true;
    std::vector<std::pair<std::size_t, std::size_t>> edges{{*closing_from, *closing_ref}};  // reversed
    for (std::size_t v = *closing_from; v != start;) {
      edges.push_back(*prev[v]);
      v = prev[v]->first;
    }
    std::reverse(edges.begin(), edges.end());
    std::string path = syms_[rules_[start].sym].name;
    for (const auto& [from, k] : edges) path += " → " + syms_[rules_[rules_[from].refs[k].rule].sym].name;
    const auto& first_ref = rules_[edges[0].first].refs[edges[0].second];
    auto b = diags_.report(base::DiagCode::kReferenceCycle, first_ref.span,
                           edges.size() == 1
                               ? fmt::format("rule `{}` refers to itself", syms_[rules_[start].sym].name)
                               : fmt::format("rules refer to each other in a cycle: {}", path));
    b.label(fmt::format("`{}` refers to `{}` here", syms_[rules_[start].sym].name,
                        syms_[rules_[first_ref.rule].sym].name));
    for (std::size_t i = 1; i < edges.size(); ++i) {
      const auto& ref = rules_[edges[i].first].refs[edges[i].second];
      b.secondary(ref.span, fmt::format("`{}` refers to `{}` here", syms_[rules_[edges[i].first].sym].name,
                                        syms_[rules_[ref.rule].sym].name));
    }
    b.help("a rule fires from its own condition only; break the cycle by removing one reference");
  }
  // Kahn's algorithm with the smallest declaration index first.
  std::vector<std::size_t> pending(n, 0);
  std::vector<std::vector<std::size_t>> users(n);
  for (std::size_t v = 0; v < n; ++v) {
    std::set<std::size_t> deps;
    for (const auto& ref : rules_[v].refs) deps.insert(ref.rule);
    pending[v] = deps.size();
    for (auto d : deps) users[d].push_back(v);
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t v = 0; v < n; ++v) {
    if (pending[v] == 0) ready.push(v);
  }
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    const std::size_t v = ready.top();
    ready.pop();
    placed[v] = true;
    rule_order_.push_back(v);
    for (auto u : users[v]) {
      if (--pending[u] == 0) ready.push(u);
    }
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (!placed[v]) rule_order_.push_back(v);  // in a cycle: already an error
  }
  for (std::size_t i = 0; i < rule_order_.size(); ++i) rules_[rule_order_[i]].id = static_cast<RuleId>(i);
}

void Checker::check_rules() {
  for (std::size_t idx : rule_order_) {
    const RuleInfo& info = rules_[idx];
    const dsl::RuleDecl& d = *info.decl;
    CheckedRule r;
    r.name = syms_[info.sym].name;
    r.span = d.span;
    if (d.when) r.when = bind_condition(*d.when, BindCtx{false, idx}, "a rule's `when`");
    r.score = d.score ? d.score->value : 0.0;
    if (d.reason) r.reason = bind_template(*d.reason);
    if (d.message) r.message = bind_template(*d.message);
    for (const auto& t : d.tags) r.tags.push_back(t.value);
    std::set<RuleId> deps;
    for (const auto& ref : info.refs) deps.insert(rules_[ref.rule].id);
    r.depends_on.assign(deps.begin(), deps.end());
    out_->rules.push_back(std::move(r));
  }
}

std::optional<Template> Checker::bind_template(const dsl::StringLit& lit) {
  const base::SourceFile& file = sources_.file(lit.span.source);
  const std::size_t before = diags_.error_count();
  Template t;
  t.source = lit.value;
  t.span = lit.span;
  for (auto& piece : split_template(lit, file, diags_)) {
    TemplatePart part;
    part.kind = piece.kind;
    part.literal = std::move(piece.literal);
    dsl::QualifiedName qn;
    qn.span = piece.arg_span;
    if (!piece.arg.empty()) {
      std::size_t start = 0;
      while (true) {
        const auto dot = piece.arg.find('.', start);
        qn.parts.push_back(
            {piece.arg.substr(start, dot == std::string::npos ? std::string::npos : dot - start),
             piece.arg_span});
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
    using K = stdlib::TemplateKind;
    if (part.kind == K::kHits || part.kind == K::kFirst || part.kind == K::kCount) {
      Symbol* sym = lookup(qn);
      const bool lexicon_only = part.kind == K::kHits;
      if (sym && sym->kind == SymKind::kLexicon) {
        part.lexicon = intern_lexicon(*sym);
      } else if (sym && sym->kind == SymKind::kRegex && !lexicon_only) {
        part.regex = intern_regex(*sym);
      } else if (sym) {
        report_wrong_kind(*sym, piece.arg_span, lexicon_only ? "a lexicon" : "a lexicon or a regex", "");
      } else {
        std::vector<std::string> cands = names_of(SymKind::kLexicon);
        if (!lexicon_only) {
          for (auto& r : names_of(SymKind::kRegex)) cands.push_back(r);
        }
        auto b = diags_.report(base::DiagCode::kUnknownLexicon, piece.arg_span,
                               fmt::format("unknown {} `{}` in template",
                                           lexicon_only ? "lexicon" : "lexicon or regex", piece.arg));
        b.label(lexicon_only ? "no lexicon has this name" : "no lexicon or regex has this name");
        if (auto near = suggest(piece.arg, cands)) {
          b.help(fmt::format("did you mean `{}`?", *near)).fix(piece.arg_span, *near);
        }
      }
    } else if (part.kind == K::kField) {
      if (auto id = find_field(piece.arg)) {
        part.field = *id;
      } else {
        std::vector<std::string> cands;
        for (const auto& f : out_->fields) cands.push_back(f.path);
        cands.push_back("score");
        auto b = diags_.report(base::DiagCode::kUnknownField, piece.arg_span,
                               fmt::format("unknown field `{}` in template", piece.arg));
        b.label("not a field of the listing");
        if (auto near = did_you_mean(piece.arg, cands)) {
          b.help(fmt::format("did you mean `{}`?", *near)).fix(piece.arg_span, *near);
        } else {
          b.help(
              "a placeholder is a field (`{title}`), `{score}`, or `{hits(lexicon)}`, `{first(name)}`, "
              "`{count(name)}`");
        }
      }
    }
    t.parts.push_back(std::move(part));
  }
  if (diags_.error_count() != before) return std::nullopt;
  return t;
}

void Checker::check_decide() {
  std::vector<const dsl::DecideDecl*> decides;
  for (const auto& unit : in_.units) {
    if (!unit.module.empty()) continue;
    for (const auto& d : unit.file->decls) {
      if (const auto* dd = std::get_if<dsl::DecideDecl>(&d)) decides.push_back(dd);
    }
  }
  auto keyword = [](base::Span s) {
    s.end = std::min(s.end, s.begin + 6);
    return s;
  };
  if (decides.empty()) {
    diags_.report(base::DiagCode::kMissingDecide, in_.pack_span, "the pack has no `decide` block")
        .label("this pack never blocks or reviews a listing")
        .help("add `decide { block when score >= 80  review when score >= 40  allow otherwise }`");
    return;
  }
  for (std::size_t i = 1; i < decides.size(); ++i) {
    diags_.report(base::DiagCode::kDuplicateDecide, keyword(decides[i]->span), "more than one `decide` block")
        .label("second `decide`")
        .secondary(keyword(decides[0]->span), "first `decide` here")
        .help("merge the branches into one `decide`: its branches are tried in order");
  }
  for (std::size_t di = 0; di < decides.size(); ++di) {
    const dsl::DecideDecl& d = *decides[di];
    const dsl::DecideBranch* otherwise = nullptr;
    std::map<std::string, const dsl::DecideBranch*> conditions;
    for (const auto& br : d.branches) {
      if (otherwise != nullptr && di == 0) {
        diags_.report(base::DiagCode::kUnreachableBranch, br.span, "this branch can never be reached")
            .label("comes after `otherwise`")
            .secondary(otherwise->span, "`otherwise` matches every listing that reaches it")
            .help("move `otherwise` to the end");
      }
      CheckedBranch cb;
      cb.action = br.action;
      cb.span = br.span;
      if (br.when) {
        cb.when = bind_condition(*br.when, BindCtx{true, std::nullopt}, "a `decide` branch's `when`");
        std::string key;
        for (char c : slice(br.when->span)) {
          if (c != ' ' && c != '\t' && c != '\n' && c != '\r') key += c;
        }
        if (auto [it, fresh] = conditions.emplace(key, &br); !fresh && di == 0) {
          diags_
              .report(base::DiagCode::kDuplicateCondition, br.when->span,
                      "this condition is the same as an earlier branch's")
              .label("never true here: the earlier branch takes these listings")
              .secondary(it->second->when->span, "same condition here");
        }
      } else if (otherwise == nullptr) {
        otherwise = &br;
      }
      if (br.message) cb.message = bind_template(*br.message);
      if (di == 0) out_->decide.push_back(std::move(cb));
    }
    if (otherwise == nullptr && di == 0) {
      diags_.report(base::DiagCode::kMissingOtherwise, keyword(d.span), "`decide` has no `otherwise` branch")
          .label("listings that match no branch are allowed")
          .help("end with `allow otherwise` to say so explicitly");
    }
  }
}

std::optional<std::uint32_t> Checker::resolve_alternative(const dsl::QualifiedName& name) {
  Symbol* sym = lookup(name);
  if (sym && sym->kind == SymKind::kAlternative) {
    sym->used = true;
    return static_cast<std::uint32_t>(sym->index);
  }
  if (sym) {
    report_wrong_kind(*sym, name.span, "an alternative", "");
    return std::nullopt;
  }
  auto b = diags_.report(base::DiagCode::kUnknownAlternative, name.span,
                         fmt::format("unknown alternative `{}`", name.str()));
  b.label("no alternative has this name");
  if (auto near = suggest(name.str(), names_of(SymKind::kAlternative))) {
    b.help(fmt::format("did you mean `{}`?", *near)).fix(name.span, *near);
  } else if (name.parts.size() > 1 && name.parts[0].name == "std") {
    b.help("is its module used? add `use std.alternatives`");
  }
  return std::nullopt;
}

void Checker::check_suggestions() {
  for (const auto& unit : in_.units) {
    if (!unit.module.empty()) continue;
    for (const auto& d : unit.file->decls) {
      const auto* s = std::get_if<dsl::SuggestDecl>(&d);
      if (s == nullptr) continue;
      CheckedSuggestion cs;
      cs.span = s->span;
      if (s->alternative) cs.alternative = resolve_alternative(*s->alternative);
      if (s->text) cs.text = s->text->value;
      if (s->when) cs.when = bind_condition(*s->when, BindCtx{false, std::nullopt}, "a suggestion's `when`");
      out_->suggestions.push_back(std::move(cs));
    }
  }
}

namespace {
// Every name written in an expression, whatever role it was checked in.
template <typename F>
void for_each_name(const dsl::Expr& e, const F& f) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, dsl::NameExpr>) {
          f(n.name);
        } else if constexpr (std::is_same_v<T, dsl::UnaryExpr>) {
          if (n.operand) for_each_name(*n.operand, f);
        } else if constexpr (std::is_same_v<T, dsl::BinaryExpr>) {
          if (n.lhs) for_each_name(*n.lhs, f);
          if (n.rhs) for_each_name(*n.rhs, f);
        } else if constexpr (std::is_same_v<T, dsl::InSetExpr>) {
          if (n.value) for_each_name(*n.value, f);
          for (const auto& el : n.elements) for_each_name(*el, f);
        } else if constexpr (std::is_same_v<T, dsl::ConvertExpr>) {
          if (n.money) for_each_name(*n.money, f);
        } else if constexpr (std::is_same_v<T, dsl::MentionsExpr>) {
          if (n.field) for_each_name(*n.field, f);
          if (n.lexicon) for_each_name(*n.lexicon, f);
        } else if constexpr (std::is_same_v<T, dsl::MatchesExpr>) {
          if (n.field) for_each_name(*n.field, f);
          if (n.regex) for_each_name(*n.regex, f);
        } else if constexpr (std::is_same_v<T, dsl::CallExpr>) {
          for (const auto& a : n.args) for_each_name(*a, f);
        }
      },
      e.node);
}
}  // namespace

void Checker::report_unused() {
  // "Used" is about what the user wrote: a name inside a condition that failed to check
  // (an unknown function around it, say) is still used, so no warning piles on the error.
  auto mark = [&](const dsl::QualifiedName& q) {
    if (Symbol* s = lookup(q)) s->used = true;
  };
  for (const auto& unit : in_.units) {
    for (const auto& d : unit.file->decls) {
      if (const auto* r = std::get_if<dsl::RuleDecl>(&d); r && r->when) for_each_name(*r->when, mark);
      if (const auto* s = std::get_if<dsl::SuggestDecl>(&d); s && s->when) for_each_name(*s->when, mark);
      if (const auto* dd = std::get_if<dsl::DecideDecl>(&d)) {
        for (const auto& b : dd->branches) {
          if (b.when) for_each_name(*b.when, mark);
        }
      }
      if (const auto* c = std::get_if<dsl::CounterDecl>(&d); c && c->when) for_each_name(*c->when, mark);
      if (const auto* l = std::get_if<dsl::LabelDecl>(&d); l && l->when) for_each_name(*l->when, mark);
      if (const auto* a = std::get_if<dsl::AccountDecideDecl>(&d)) {
        for (const auto& b : a->branches) {
          if (b.when) for_each_name(*b.when, mark);
        }
      }
    }
  }
  for (const auto& sym : syms_) {
    if (!in_.units[sym.unit].module.empty()) continue;  // library modules offer more than a pack uses
    if (sym.kind == SymKind::kLexicon && !sym.used) {
      diags_
          .report(base::DiagCode::kUnusedLexicon, sym.span,
                  fmt::format("lexicon `{}` is never used", sym.name))
          .label("declared here")
          .help(fmt::format("use it in a rule (`text mentions {}`) or remove it", sym.name));
    } else if (sym.kind == SymKind::kRegex && !sym.used) {
      diags_.report(base::DiagCode::kUnusedRegex, sym.span, fmt::format("regex `{}` is never used", sym.name))
          .label("declared here")
          .help(fmt::format("use it in a rule (`text matches {}`) or remove it", sym.name));
    } else if (sym.kind == SymKind::kRule) {
      const RuleInfo& r = rules_[sym.index];
      const dsl::RuleDecl& d = *r.decl;
      if (!r.referenced && !d.score && d.tags.empty() && !d.message) {
        diags_.report(base::DiagCode::kUnusedRule, sym.span, fmt::format("rule `{}` has no effect", sym.name))
            .label("no score, tag or message, and no rule or branch refers to it")
            .help("give it a `score`, refer to it from another condition, or remove it");
      }
    }
  }
}

}  // namespace tusk::compiler::front
