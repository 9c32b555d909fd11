// Internal to the checker: the state shared by check_*.cpp. Not included outside compiler/.
#pragma once

#include <map>
#include <set>

#include "compiler/front/checker.h"

namespace tusk::compiler::front {

enum class SymKind { kLexicon, kRegex, kRule, kAlternative, kEntity, kCounter };
const char* kind_word(SymKind k);  // "lexicon", "a regex", ...

struct Symbol {
  SymKind kind = SymKind::kLexicon;
  std::string name;  // as referenced: bare for pack declarations, qualified for module ones
  base::Span span;   // the declared name
  std::size_t unit = 0;
  const void* decl = nullptr;
  bool used = false;
  // lexicons: evaluated terms (state 0 = not yet, 1 = evaluating, 2 = done)
  int state = 0;
  bool ok = true;
  std::vector<CheckedTerm> terms;
  std::optional<LexiconId> lexicon_id;
  std::optional<RegexId> regex_id;
  std::size_t index = 0;  // rules: index into rules_; alternatives: index into alternatives
};

struct RuleRef {
  std::size_t rule;  // index into Checker::rules_
  base::Span span;
};

struct RuleInfo {
  const dsl::RuleDecl* decl = nullptr;
  std::size_t unit = 0;
  std::size_t sym = 0;
  std::vector<RuleRef> refs;
  RuleId id = 0;  // position in topological order
  bool referenced = false;
};

struct BindCtx {
  bool in_decide = false;
  std::optional<std::size_t> rule;  // the rule whose `when` is being bound
  // Counter predicates, label conditions and `decide account`: they run after `decide` and may
  // read `action`.
  bool post_decide = false;
};

class Checker {
 public:
  Checker(const CheckInput& in, const base::SourceManager& sources, base::Diagnostics& diags);
  std::unique_ptr<CheckedPack> run();

 private:
  // check_names.cpp
  void declare_all();
  void declare(SymKind kind, const std::string& name, base::Span span, std::size_t unit, const void* decl);
  std::string qualify(std::size_t unit, const std::string& name) const;
  Symbol* lookup(const dsl::QualifiedName& name);
  std::vector<std::string> names_of(SymKind kind) const;
  std::optional<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates);
  void report_wrong_kind(const Symbol& sym, base::Span span, const char* expected, const char* hint);

  // check_lexicons.cpp
  void check_lexicon_decls();
  bool eval_lexicon(Symbol& sym);
  bool eval_lexicon_expr(const dsl::LexiconExpr& e, std::size_t unit, std::vector<CheckedTerm>& out);
  void inline_terms(const dsl::LexiconInline& body, std::vector<CheckedTerm>& out);
  std::optional<LexiconId> intern_lexicon(Symbol& sym);
  std::optional<RegexId> intern_regex(Symbol& sym);
  void check_regex_decls();
  std::optional<RegexId> inline_regex(const dsl::RegexLitExpr& r, base::Span span);

  // check_types.cpp
  BExprPtr bind(const dsl::Expr& e, const BindCtx& ctx);
  BExprPtr bind_condition(const dsl::Expr& e, const BindCtx& ctx, const char* what);
  BExprPtr bind_name(const dsl::Expr& e, const dsl::NameExpr& n, const BindCtx& ctx);
  BExprPtr bind_compare(const dsl::Expr& e, const dsl::BinaryExpr& b, const BindCtx& ctx);
  BExprPtr bind_call(const dsl::Expr& e, const dsl::CallExpr& c, const BindCtx& ctx);
  BExprPtr bind_in_set(const dsl::Expr& e, const dsl::InSetExpr& s, const BindCtx& ctx);
  std::optional<Scope> bind_scope(const dsl::Expr& e);
  std::optional<LexiconId> bind_lexicon(const dsl::Expr& e);
  std::optional<RegexId> bind_regex(const dsl::Expr& e);
  std::optional<stdlib::FieldId> find_field(const std::string& path) const;
  std::string slice(base::Span span) const;

  // check_rules.cpp
  void collect_rule_refs(const dsl::Expr& e, RuleInfo& info);
  void order_rules();
  void check_rules();
  void check_decide();
  void check_suggestions();
  void check_alternatives();
  std::optional<Template> bind_template(const dsl::StringLit& lit);
  void report_unused();

  // check_accounts.cpp
  void declare_accounts();
  void check_accounts();
  std::optional<std::uint32_t> resolve_entity(const dsl::Ident& name, const char* where);
  std::optional<std::int64_t> window_seconds(const dsl::Window& w, const char* what);
  BExprPtr bind_counter_read(const dsl::Expr& e, const dsl::Expr& arg);
  BExprPtr bind_has_label(const dsl::Expr& e, const dsl::HasLabelExpr& h);
  std::uint32_t state_read(CheckedStateRead read);

  // check_languages.cpp
  void check_declared_languages();

  // check_tests.cpp
  void check_tests();
  std::vector<CheckedExpectation> check_expectations(const std::vector<dsl::Expectation>& list,
                                                     const std::vector<std::string>& rule_names);
  void check_listing(const std::vector<dsl::ListingField>& fields, const std::string& prefix);
  std::optional<std::uint32_t> resolve_alternative(const dsl::QualifiedName& name);

  const CheckInput& in_;
  const base::SourceManager& sources_;
  base::Diagnostics& diags_;
  std::unique_ptr<CheckedPack> out_;
  std::vector<Symbol> syms_;
  std::map<std::string, std::size_t> by_name_;
  std::vector<RuleInfo> rules_;
  std::vector<std::size_t> rule_order_;  // indices into rules_, topological
  bool cycles_ = false;
  // Accounts: declarations in source order, collected before any condition is bound.
  std::vector<const dsl::EntityDecl*> entity_decls_;
  std::vector<const dsl::CounterDecl*> counter_decls_;
  std::vector<const dsl::LabelDecl*> label_decls_;
  std::vector<const dsl::AccountDecideDecl*> account_decls_;
};

// A bound expression node of type `t` at `span` (the binders of check_types.cpp and
// check_accounts.cpp build every node through it).
inline BExprPtr make(Type t, base::Span span, auto node) {
  auto e = std::make_unique<BExpr>();
  e->type = t;
  e->span = span;
  e->node = std::move(node);
  return e;
}

}  // namespace tusk::compiler::front
