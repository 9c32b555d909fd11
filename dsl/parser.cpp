// Actions that build the AST from the grammar in grammar.h, and the recovery loop.
//
// The parse state keeps typed stacks (expressions, lexicon expressions, listing values) and
// "last token" slots: a token rule's action decodes the token into its slot, and the action
// of the role wrapper around it (e.g. `reason_text`) moves the value where it belongs.
// Declarations are parsed one at a time; a SyntaxError aborts only the current declaration,
// whose scratch state is then thrown away.
#include "dsl/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tao/pegtl.hpp>

#include "dsl/grammar.h"
#include "dsl/parse_errors.h"
#include "dsl/tokens.h"

namespace tusk::dsl {
namespace {

namespace pg = tao::pegtl;
namespace g = grammar;
using parse_errors::SyntaxError;

// Everything that belongs to the declaration being parsed; reset before each one.
struct Scratch {
  Ident ident;
  QualifiedName qname;
  StringLit string;
  NumberLit number;
  RegexLitExpr regex;
  base::Span regex_span;

  std::vector<ExprPtr> exprs;
  std::vector<std::size_t> marks;  // exprs.size() at a call's `(` or a set's `{`
  std::vector<std::uint32_t> set_begins;
  std::vector<BinaryOp> ops;
  std::vector<QualifiedName> callees;
  std::vector<std::optional<Within>> withins;

  std::vector<LexiconExprPtr> lexes;
  std::vector<TermGroup> groups;
  TermGroup group;
  int term_distance = 0;
  std::optional<Ident> pending_lang;

  std::vector<ListingValue> values;
  std::vector<ListingField> fields;
  std::vector<Ident> keys;
  std::vector<std::size_t> value_marks;

  stdlib::Action action = stdlib::Action::kAllow;
  base::Span action_span;
  ExprPtr branch_when;
  std::optional<StringLit> branch_message;

  std::optional<QualifiedName> header_name;
  std::optional<StringLit> pack_version;
  UseDecl use;
  LexiconDecl lexicon;
  RegexDecl regex_decl;
  RuleDecl rule;
  base::Span rule_when_kw, rule_score_kw, rule_reason_kw, rule_message_kw;
  DecideDecl decide;
  SuggestDecl suggest;
  AlternativeDecl alternative;
  TestDecl test;
  Expectation expectation;

  Window window;
  Ident entity_ref;
  EntityDecl entity;
  CounterDecl counter;
  LabelDecl label;
  stdlib::AccountAction account_action = stdlib::AccountAction::kNone;
  base::Span account_action_span;
  AccountDecideDecl account;
  bool account_decide = false;
};

struct ParseState : parse_errors::ErrorContext {
  base::SourceId source = base::kNoSource;
  base::Diagnostics* diags = nullptr;
  File* file = nullptr;
  Scratch s;

  base::Span span(std::uint32_t begin, std::uint32_t end) const { return base::Span{source, begin, end}; }
  template <typename Input>
  base::Span span(const Input& in) const {
    return span(offset(in.begin()), offset(in.end()));
  }
  ExprPtr pop_expr() {
    ExprPtr e = std::move(s.exprs.back());
    s.exprs.pop_back();
    return e;
  }
  template <typename Node>
  void push_expr(base::Span sp, Node node) {
    auto e = std::make_unique<Expr>();
    e->span = sp;
    e->node = std::move(node);
    e->height = 1 + children_height(e->node);
    check_height(e->height, sp.begin, sp.end);
    s.exprs.push_back(std::move(e));
  }
  static std::uint32_t height_of(const ExprPtr& e) { return e ? e->height : 0; }
  static std::uint32_t children_height(const decltype(Expr::node)& node) {
    return std::visit(
        [](const auto& n) -> std::uint32_t {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, UnaryExpr>) {
            return height_of(n.operand);
          } else if constexpr (std::is_same_v<T, BinaryExpr>) {
            return std::max(height_of(n.lhs), height_of(n.rhs));
          } else if constexpr (std::is_same_v<T, InSetExpr>) {
            std::uint32_t h = height_of(n.value);
            for (const auto& x : n.elements) h = std::max(h, height_of(x));
            return h;
          } else if constexpr (std::is_same_v<T, ConvertExpr>) {
            return height_of(n.money);
          } else if constexpr (std::is_same_v<T, MentionsExpr>) {
            return std::max(height_of(n.field), height_of(n.lexicon));
          } else if constexpr (std::is_same_v<T, MatchesExpr>) {
            return std::max(height_of(n.field), height_of(n.regex));
          } else if constexpr (std::is_same_v<T, CallExpr>) {
            std::uint32_t h = n.within ? height_of(n.within->distance) : 0;
            for (const auto& x : n.args) h = std::max(h, height_of(x));
            return h;
          } else {
            return 0;
          }
        },
        node);
  }
  void push_binary(BinaryOp op) {
    ExprPtr rhs = pop_expr();
    ExprPtr lhs = pop_expr();
    const base::Span sp = span(lhs->span.begin, rhs->span.end);
    push_expr(sp, BinaryExpr{op, std::move(lhs), std::move(rhs)});
  }
  LexiconExprPtr pop_lex() {
    LexiconExprPtr e = std::move(s.lexes.back());
    s.lexes.pop_back();
    return e;
  }
  template <typename Node>
  void push_lex(base::Span sp, Node node) {
    auto e = std::make_unique<LexiconExpr>();
    e->span = sp;
    e->node = std::move(node);
    if (const auto* b = std::get_if<LexiconBinary>(&e->node)) {
      e->height = 1 + std::max(b->lhs->height, b->rhs->height);
      check_height(e->height, sp.begin, sp.end);
    }
    s.lexes.push_back(std::move(e));
  }
  // A second `score` in one rule and similar: reported, parsing goes on.
  void duplicate(base::Span here, base::Span first, std::string_view what, std::string_view where) {
    diags->report(base::DiagCode::kSyntax, here, fmt::format("{} has more than one `{}`", where, what))
        .label(fmt::format("second `{}`", what))
        .secondary(first, "first one here");
  }
};

// ---------------------------------------------------------------- actions

template <typename Rule>
struct Act : pg::nothing<Rule> {};

#define TUSK_ACTION(rule)     \
  template <>                 \
  struct Act<g::rule> {       \
    template <typename Input> \
    static void apply(const Input& in, ParseState& st)
#define TUSK_END \
  }              \
  ;

// ---- comments: recorded for the formatter. `sep` may match the same comment again after a
// backtrack, so parse() sorts them and drops duplicates.
TUSK_ACTION(line_comment) {
  std::uint32_t end = st.offset(in.end());
  while (end > st.offset(in.begin()) && (st.text[end - 1] == '\n' || st.text[end - 1] == '\r')) --end;
  st.file->comments.push_back(Comment{st.span(st.offset(in.begin()), end), false});
}
TUSK_END
TUSK_ACTION(block_comment) { st.file->comments.push_back(Comment{st.span(in), true}); }
TUSK_END

// ---- tokens
TUSK_ACTION(ident) { st.s.ident = Ident{in.string(), st.span(in)}; }
TUSK_END
TUSK_ACTION(qualified_name) { st.s.qname = decode_qname(in.string_view(), st.offset(in.begin()), st.source); }
TUSK_END
TUSK_ACTION(string_lit) {
  st.s.string = StringLit{decode_string(in.string_view(), st.offset(in.begin())), st.span(in)};
}
TUSK_END
TUSK_ACTION(number) { st.s.number = decode_number(in.string_view(), st.span(in)); }
TUSK_END
TUSK_ACTION(signed_number) { st.s.number = decode_number(in.string_view(), st.span(in)); }
TUSK_END
TUSK_ACTION(regex_lit) {
  const std::string_view t = in.string_view();
  const std::size_t close = t.rfind('/');
  st.s.regex = RegexLitExpr{std::string(t.substr(1, close - 1)), std::string(t.substr(close + 1))};
  st.s.regex_span = st.span(in);
}
TUSK_END

// ---- expressions
TUSK_ACTION(true_lit) { st.push_expr(st.span(in), BoolLitExpr{true}); }
TUSK_END
TUSK_ACTION(false_lit) { st.push_expr(st.span(in), BoolLitExpr{false}); }
TUSK_END
TUSK_ACTION(number_expr) { st.push_expr(st.span(in), NumberExpr{st.s.number}); }
TUSK_END
TUSK_ACTION(string_expr) { st.push_expr(st.span(in), StringExpr{st.s.string}); }
TUSK_END
TUSK_ACTION(score_ref) {
  QualifiedName q = decode_qname(in.string_view(), st.offset(in.begin()), st.source);
  st.push_expr(st.span(in), NameExpr{std::move(q)});
}
TUSK_END
template <stdlib::Action A>
struct PushActionLit {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.push_expr(st.span(in), ActionExpr{A});
  }
};
template <>
struct Act<g::action_lit_block> : PushActionLit<stdlib::Action::kBlock> {};
template <>
struct Act<g::action_lit_review> : PushActionLit<stdlib::Action::kReview> {};
template <>
struct Act<g::action_lit_allow> : PushActionLit<stdlib::Action::kAllow> {};
TUSK_ACTION(regex_expr) { st.push_expr(st.span(in), st.s.regex); }
TUSK_END
TUSK_ACTION(callee_name) { st.s.callees.push_back(st.s.qname); }
TUSK_END
TUSK_ACTION(name_only) {
  QualifiedName q = std::move(st.s.callees.back());
  st.s.callees.pop_back();
  const base::Span sp = q.span;
  st.push_expr(sp, NameExpr{std::move(q)});
}
TUSK_END
TUSK_ACTION(call_open) {
  st.s.marks.push_back(st.s.exprs.size());
  st.s.withins.emplace_back();
}
TUSK_END
TUSK_ACTION(within_clause) {
  Within w;
  w.distance = st.pop_expr();
  w.unit = st.s.ident;
  w.span = st.span(in);
  st.s.withins.back() = std::move(w);
}
TUSK_END
TUSK_ACTION(call_suffix) {
  CallExpr call;
  call.callee = std::move(st.s.callees.back());
  st.s.callees.pop_back();
  const std::size_t mark = st.s.marks.back();
  st.s.marks.pop_back();
  for (std::size_t i = mark; i < st.s.exprs.size(); ++i) call.args.push_back(std::move(st.s.exprs[i]));
  st.s.exprs.resize(mark);
  call.within = std::move(st.s.withins.back());
  st.s.withins.pop_back();
  const base::Span sp = st.span(call.callee.span.begin, st.offset(in.end()));
  st.push_expr(sp, std::move(call));
}
TUSK_END
// Parentheses widen the span of what they enclose, so that `(a or b) and c` starts at `(`.
TUSK_ACTION(paren_expr) { st.s.exprs.back()->span = st.span(in); }
TUSK_END
TUSK_ACTION(convert_suffix) {
  ExprPtr money = st.pop_expr();
  const std::uint32_t end = st.offset(in.end());
  Ident currency{std::string(in.string_view().substr(in.size() - 3)), st.span(end - 3, end)};
  const base::Span sp = st.span(money->span.begin, end);
  st.push_expr(sp, ConvertExpr{std::move(money), std::move(currency)});
}
TUSK_END
TUSK_ACTION(neg_op) {
  ExprPtr operand = st.pop_expr();
  st.push_expr(st.span(in), UnaryExpr{UnaryOp::kNeg, std::move(operand)});
}
TUSK_END
TUSK_ACTION(not_op) {
  ExprPtr operand = st.pop_expr();
  st.push_expr(st.span(in), UnaryExpr{UnaryOp::kNot, std::move(operand)});
}
TUSK_END

template <BinaryOp Op>
struct PushOp {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.s.ops.push_back(Op);
  }
};
template <>
struct Act<g::op_mul> : PushOp<BinaryOp::kMul> {};
template <>
struct Act<g::op_div> : PushOp<BinaryOp::kDiv> {};
template <>
struct Act<g::op_add> : PushOp<BinaryOp::kAdd> {};
template <>
struct Act<g::op_sub> : PushOp<BinaryOp::kSub> {};
template <>
struct Act<g::op_eq> : PushOp<BinaryOp::kEq> {};
template <>
struct Act<g::op_ne> : PushOp<BinaryOp::kNe> {};
template <>
struct Act<g::op_lt> : PushOp<BinaryOp::kLt> {};
template <>
struct Act<g::op_le> : PushOp<BinaryOp::kLe> {};
template <>
struct Act<g::op_gt> : PushOp<BinaryOp::kGt> {};
template <>
struct Act<g::op_ge> : PushOp<BinaryOp::kGe> {};

struct BinaryFromOpStack {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    const BinaryOp op = st.s.ops.back();
    st.s.ops.pop_back();
    st.push_binary(op);
  }
};
template <>
struct Act<g::mul_tail> : BinaryFromOpStack {};
template <>
struct Act<g::add_tail> : BinaryFromOpStack {};
template <>
struct Act<g::rel_tail> : BinaryFromOpStack {};

template <BinaryOp Op>
struct Binary {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.push_binary(Op);
  }
};
template <>
struct Act<g::and_tail> : Binary<BinaryOp::kAnd> {};
template <>
struct Act<g::or_tail> : Binary<BinaryOp::kOr> {};

TUSK_ACTION(set_open) {
  st.s.marks.push_back(st.s.exprs.size());
  st.s.set_begins.push_back(st.offset(in.begin()));
}
TUSK_END
TUSK_ACTION(in_set_tail) {
  const std::size_t mark = st.s.marks.back();
  st.s.marks.pop_back();
  InSetExpr set;
  for (std::size_t i = mark; i < st.s.exprs.size(); ++i) set.elements.push_back(std::move(st.s.exprs[i]));
  st.s.exprs.resize(mark);
  const std::uint32_t end = st.offset(in.end());
  set.set_span = st.span(st.s.set_begins.back(), end);
  st.s.set_begins.pop_back();
  set.value = st.pop_expr();
  const base::Span sp = st.span(set.value->span.begin, end);
  st.push_expr(sp, std::move(set));
}
TUSK_END
TUSK_ACTION(mentions_tail) {
  ExprPtr lexicon = st.pop_expr();
  ExprPtr field = st.pop_expr();
  const base::Span sp = st.span(field->span.begin, lexicon->span.end);
  st.push_expr(sp, MentionsExpr{std::move(field), std::move(lexicon)});
}
TUSK_END
TUSK_ACTION(matches_tail) {
  ExprPtr regex = st.pop_expr();
  ExprPtr field = st.pop_expr();
  const base::Span sp = st.span(field->span.begin, regex->span.end);
  st.push_expr(sp, MatchesExpr{std::move(field), std::move(regex)});
}
TUSK_END

TUSK_ACTION(has_label_tail) {
  ExprPtr entity = st.pop_expr();
  const auto* name = std::get_if<NameExpr>(&entity->node);
  if (name == nullptr || name->name.parts.size() != 1) {
    throw SyntaxError{base::DiagCode::kSyntax, "`has label` follows an entity name",
                      entity->span.begin,      entity->span.end,
                      "not an entity name",    std::string("write `seller has label \"wildlife_offender\"`")};
  }
  const base::Span sp = st.span(entity->span.begin, st.offset(in.end()));
  st.push_expr(sp, HasLabelExpr{name->name.parts[0], st.s.string});
}
TUSK_END

// ---- lexicons
TUSK_ACTION(term_distance) {
  int d = 0;
  const auto r = std::from_chars(in.begin(), in.end(), d);
  if (r.ec != std::errc() || d > 3) {
    throw SyntaxError{
        base::DiagCode::kInvalidNumber,
        fmt::format("edit distance `{}` is too large", in.string_view()),
        st.offset(in.begin()),
        st.offset(in.end()),
        "at most 3",
        std::string("a fuzzy term allows at most 3 edits; larger distances match almost anything")};
  }
  st.s.term_distance = d;
}
TUSK_END
TUSK_ACTION(term) {
  Term t;
  t.text = st.s.string.value;
  if (!t.text.empty() && t.text.back() == '*') {
    t.prefix = true;
    t.text.pop_back();
  }
  if (t.text.empty()) {
    st.diags->report(base::DiagCode::kSyntax, st.s.string.span, "a lexicon term cannot be empty")
        .label("empty term");
  }
  t.edit_distance = st.s.term_distance;
  st.s.term_distance = 0;
  t.span = st.span(in);
  st.s.group.terms.push_back(std::move(t));
}
TUSK_END
TUSK_ACTION(attr_lang) {
  Ident lang{std::string(in.string_view().substr(1)), st.span(in)};
  if (st.s.group.lang) {
    st.duplicate(lang.span, st.s.group.lang->span, "@language", "a term group");
  } else {
    st.s.group.lang = std::move(lang);
  }
}
TUSK_END
TUSK_ACTION(attr_weight) {
  if (st.s.group.weight) {
    st.duplicate(st.span(in), st.s.group.weight->span, "weight", "a term group");
  } else {
    st.s.group.weight = st.s.number;
  }
}
TUSK_END
TUSK_ACTION(attr_note) {
  if (st.s.group.note) {
    st.duplicate(st.span(in), st.s.group.note->span, "note", "a term group");
  } else {
    st.s.group.note = st.s.string;
  }
}
TUSK_END
TUSK_ACTION(term_group) {
  st.s.group.span = st.span(in);
  st.s.groups.push_back(std::move(st.s.group));
  st.s.group = TermGroup{};
}
TUSK_END
TUSK_ACTION(inline_open) { st.s.groups.clear(); }
TUSK_END
TUSK_ACTION(lex_inline) {
  st.push_lex(st.span(in), LexiconInline{std::move(st.s.groups)});
  st.s.groups.clear();
}
TUSK_END
TUSK_ACTION(lex_load) { st.push_lex(st.span(in), LexiconLoad{st.s.string}); }
TUSK_END
TUSK_ACTION(lex_ref) { st.push_lex(st.span(in), LexiconRef{st.s.qname}); }
TUSK_END
TUSK_ACTION(lex_paren) { st.s.lexes.back()->span = st.span(in); }
TUSK_END
template <LexiconOp Op>
struct LexBinary {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    LexiconExprPtr rhs = st.pop_lex();
    LexiconExprPtr lhs = st.pop_lex();
    const base::Span sp = st.span(lhs->span.begin, rhs->span.end);
    st.push_lex(sp, LexiconBinary{Op, std::move(lhs), std::move(rhs)});
  }
};
template <>
struct Act<g::lex_union_tail> : LexBinary<LexiconOp::kUnion> {};
template <>
struct Act<g::lex_diff_tail> : LexBinary<LexiconOp::kDifference> {};

// ---- headers and declarations
TUSK_ACTION(header_name) { st.s.header_name = st.s.qname; }
TUSK_END
TUSK_ACTION(pack_version) { st.s.pack_version = st.s.string; }
TUSK_END
TUSK_ACTION(pack_header) { st.file->pack = PackHeader{*st.s.header_name, *st.s.pack_version, st.span(in)}; }
TUSK_END
TUSK_ACTION(module_header) { st.file->module = ModuleHeader{*st.s.header_name, st.span(in)}; }
TUSK_END

TUSK_ACTION(use_path) { st.s.use.path = st.s.string; }
TUSK_END
TUSK_ACTION(use_module) { st.s.use.module = st.s.qname; }
TUSK_END
TUSK_ACTION(use_decl) {
  st.s.use.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.use));
}
TUSK_END

TUSK_ACTION(lexicon_name) { st.s.lexicon.name = st.s.ident; }
TUSK_END
TUSK_ACTION(profile_name) { st.s.lexicon.profile = st.s.ident; }
TUSK_END
TUSK_ACTION(lexicon_decl) {
  st.s.lexicon.body = st.pop_lex();
  st.s.lexicon.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.lexicon));
}
TUSK_END

TUSK_ACTION(regex_name) { st.s.regex_decl.name = st.s.ident; }
TUSK_END
TUSK_ACTION(regex_decl) {
  st.s.regex_decl.regex = st.s.regex;
  st.s.regex_decl.regex_span = st.s.regex_span;
  st.s.regex_decl.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.regex_decl));
}
TUSK_END

base::Span keyword_span(const ParseState& st, const char* begin, std::size_t len) {
  return st.span(st.offset(begin), st.offset(begin) + static_cast<std::uint32_t>(len));
}

TUSK_ACTION(rule_name) { st.s.rule.name = st.s.ident; }
TUSK_END
TUSK_ACTION(when_clause) {
  const base::Span kw = keyword_span(st, in.begin(), 4);
  ExprPtr e = st.pop_expr();
  if (st.s.rule.when) {
    st.duplicate(kw, st.s.rule_when_kw, "when", "a rule");
  } else {
    st.s.rule.when = std::move(e), st.s.rule_when_kw = kw;
  }
}
TUSK_END
TUSK_ACTION(score_clause) {
  const base::Span kw = keyword_span(st, in.begin(), 5);
  if (st.s.rule.score) {
    st.duplicate(kw, st.s.rule_score_kw, "score", "a rule");
  } else {
    st.s.rule.score = st.s.number, st.s.rule_score_kw = kw;
  }
}
TUSK_END
TUSK_ACTION(reason_clause) {
  const base::Span kw = keyword_span(st, in.begin(), 6);
  if (st.s.rule.reason) {
    st.duplicate(kw, st.s.rule_reason_kw, "reason", "a rule");
  } else {
    st.s.rule.reason = st.s.string, st.s.rule_reason_kw = kw;
  }
}
TUSK_END
TUSK_ACTION(tag_clause) { st.s.rule.tags.push_back(st.s.string); }
TUSK_END
TUSK_ACTION(message_clause) {
  const base::Span kw = keyword_span(st, in.begin(), 7);
  if (st.s.rule.message) {
    st.duplicate(kw, st.s.rule_message_kw, "message", "a rule");
  } else {
    st.s.rule.message = st.s.string, st.s.rule_message_kw = kw;
  }
}
TUSK_END
TUSK_ACTION(rule_decl) {
  st.s.rule.span = st.span(in);
  if (!st.s.rule.when) {
    // Reported here rather than by the checker: a rule without a condition has no meaning,
    // and RuleDecl::when is never null in the tree.
    st.diags
        ->report(base::DiagCode::kSyntax, st.s.rule.name.span,
                 fmt::format("rule `{}` has no `when` clause", st.s.rule.name.name))
        .label("a rule needs a `when` clause")
        .help("add `when CONDITION` to say when the rule fires");
    return;
  }
  st.file->decls.emplace_back(std::move(st.s.rule));
}
TUSK_END

template <stdlib::Action A>
struct SetAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.s.action = A;
    st.s.action_span = st.span(in);
  }
};
template <>
struct Act<g::action_block> : SetAction<stdlib::Action::kBlock> {};
template <>
struct Act<g::action_review> : SetAction<stdlib::Action::kReview> {};
template <>
struct Act<g::action_allow> : SetAction<stdlib::Action::kAllow> {};
TUSK_ACTION(branch_expr) { st.s.branch_when = st.pop_expr(); }
TUSK_END
TUSK_ACTION(branch_message) { st.s.branch_message = st.s.string; }
TUSK_END
TUSK_ACTION(decide_branch) {
  DecideBranch b;
  b.action = st.s.action;
  b.action_span = st.s.action_span;
  b.when = std::move(st.s.branch_when);
  b.message = std::move(st.s.branch_message);
  st.s.branch_message.reset();
  b.span = st.span(in);
  st.s.decide.branches.push_back(std::move(b));
}
TUSK_END
TUSK_ACTION(decide_decl) {
  if (st.s.account_decide) {
    st.s.account.span = st.span(in);
    if (st.s.account.branches.empty()) {
      st.diags
          ->report(base::DiagCode::kSyntax, keyword_span(st, in.begin(), 6),
                   "`decide account` has no branches")
          .label("empty decide")
          .help("add branches like `suspend when count(blocked_30d) >= 3` and `none otherwise`");
    }
    st.file->decls.emplace_back(std::move(st.s.account));
    return;
  }
  st.s.decide.span = st.span(in);
  if (st.s.decide.branches.empty()) {
    st.diags->report(base::DiagCode::kSyntax, keyword_span(st, in.begin(), 6), "`decide` has no branches")
        .label("empty decide")
        .help("add branches like `review when score >= 40` and `allow otherwise`");
  }
  st.file->decls.emplace_back(std::move(st.s.decide));
}
TUSK_END

// ---- accounts
TUSK_ACTION(window_amount) { st.s.window.amount = st.s.number; }
TUSK_END
TUSK_ACTION(window_unit) { st.s.window.unit = st.s.ident; }
TUSK_END
TUSK_ACTION(window) { st.s.window.span = st.span(in); }
TUSK_END
TUSK_ACTION(entity_name) { st.s.entity.name = st.s.ident; }
TUSK_END
TUSK_ACTION(entity_field) { st.s.entity.field = st.s.qname; }
TUSK_END
TUSK_ACTION(entity_decl) {
  st.s.entity.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.entity));
}
TUSK_END
TUSK_ACTION(entity_ref) { st.s.entity_ref = st.s.ident; }
TUSK_END
TUSK_ACTION(counter_name) { st.s.counter.name = st.s.ident; }
TUSK_END
TUSK_ACTION(counts_every) { st.s.counter.kind = CounterDecl::Kind::kEvery; }
TUSK_END
TUSK_ACTION(distinct_field) { st.s.counter.distinct = st.s.qname; }
TUSK_END
TUSK_ACTION(distinct_when_expr) { st.s.counter.when = st.pop_expr(); }
TUSK_END
TUSK_ACTION(counts_distinct) { st.s.counter.kind = CounterDecl::Kind::kDistinct; }
TUSK_END
TUSK_ACTION(counts_expr) {
  st.s.counter.kind = CounterDecl::Kind::kWhen;
  st.s.counter.when = st.pop_expr();
}
TUSK_END
TUSK_ACTION(counter_decl) {
  st.s.counter.entity = st.s.entity_ref;
  st.s.counter.window = std::move(st.s.window);
  st.s.counter.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.counter));
}
TUSK_END
TUSK_ACTION(label_name) { st.s.label.name = st.s.string; }
TUSK_END
TUSK_ACTION(label_expr) { st.s.label.when = st.pop_expr(); }
TUSK_END
TUSK_ACTION(label_decl) {
  st.s.label.entity = st.s.entity_ref;
  st.s.label.lifetime = std::move(st.s.window);
  st.s.label.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.label));
}
TUSK_END
template <stdlib::AccountAction A>
struct SetAccountAction {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.s.account_action = A;
    st.s.account_action_span = st.span(in);
  }
};
template <>
struct Act<g::account_suspend> : SetAccountAction<stdlib::AccountAction::kSuspend> {};
template <>
struct Act<g::account_watch> : SetAccountAction<stdlib::AccountAction::kWatch> {};
template <>
struct Act<g::account_none> : SetAccountAction<stdlib::AccountAction::kNone> {};
TUSK_ACTION(account_branch) {
  AccountBranch b;
  b.action = st.s.account_action;
  b.action_span = st.s.account_action_span;
  b.when = std::move(st.s.branch_when);
  b.span = st.span(in);
  st.s.account.branches.push_back(std::move(b));
}
TUSK_END
TUSK_ACTION(account_open) {
  st.s.account_decide = true;
  st.s.account.entity = st.s.entity_ref;
}
TUSK_END

TUSK_ACTION(suggest_text) { st.s.suggest.text = st.s.string; }
TUSK_END
TUSK_ACTION(suggest_name) { st.s.suggest.alternative = st.s.qname; }
TUSK_END
TUSK_ACTION(suggest_expr) { st.s.suggest.when = st.pop_expr(); }
TUSK_END
TUSK_ACTION(suggest_decl) {
  st.s.suggest.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.suggest));
}
TUSK_END

TUSK_ACTION(alternative_name) { st.s.alternative.name = st.s.ident; }
TUSK_END
TUSK_ACTION(alternative_lang) {
  st.s.pending_lang = Ident{std::string(in.string_view().substr(1)), st.span(in)};
}
TUSK_END
TUSK_ACTION(alternative_text) {
  st.s.alternative.texts.push_back(AlternativeText{st.s.string, std::move(st.s.pending_lang)});
  st.s.pending_lang.reset();
}
TUSK_END
TUSK_ACTION(alternative_decl) {
  st.s.alternative.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.alternative));
}
TUSK_END

// ---- listing literals
template <typename T>
void push_value(ParseState& st, base::Span sp, T v) {
  ListingValue value;
  value.span = sp;
  value.value = std::move(v);
  st.s.values.push_back(std::move(value));
}
TUSK_ACTION(value_null) { push_value(st, st.span(in), std::monostate{}); }
TUSK_END
TUSK_ACTION(value_true) { push_value(st, st.span(in), true); }
TUSK_END
TUSK_ACTION(value_false) { push_value(st, st.span(in), false); }
TUSK_END
TUSK_ACTION(value_number) { push_value(st, st.span(in), st.s.number); }
TUSK_END
TUSK_ACTION(value_string) { push_value(st, st.span(in), st.s.string); }
TUSK_END
TUSK_ACTION(field_key_ident) { st.s.keys.push_back(Ident{in.string(), st.span(in)}); }
TUSK_END
TUSK_ACTION(field_key_string) { st.s.keys.push_back(Ident{st.s.string.value, st.s.string.span}); }
TUSK_END
TUSK_ACTION(listing_field) {
  ListingField f{std::move(st.s.keys.back()), std::move(st.s.values.back())};
  st.s.keys.pop_back();
  st.s.values.pop_back();
  st.s.fields.push_back(std::move(f));
}
TUSK_END
TUSK_ACTION(object_open) { st.s.value_marks.push_back(st.s.fields.size()); }
TUSK_END
TUSK_ACTION(listing_object) {
  const std::size_t mark = st.s.value_marks.back();
  st.s.value_marks.pop_back();
  std::vector<ListingField> fields(
      std::make_move_iterator(st.s.fields.begin() + static_cast<std::ptrdiff_t>(mark)),
      std::make_move_iterator(st.s.fields.end()));
  st.s.fields.resize(mark);
  push_value(st, st.span(in), std::move(fields));
}
TUSK_END
TUSK_ACTION(array_open) { st.s.value_marks.push_back(st.s.values.size()); }
TUSK_END
TUSK_ACTION(listing_array) {
  const std::size_t mark = st.s.value_marks.back();
  st.s.value_marks.pop_back();
  std::vector<ListingValue> items(
      std::make_move_iterator(st.s.values.begin() + static_cast<std::ptrdiff_t>(mark)),
      std::make_move_iterator(st.s.values.end()));
  st.s.values.resize(mark);
  push_value(st, st.span(in), std::move(items));
}
TUSK_END

// ---- tests
TUSK_ACTION(test_name) { st.s.test.name = st.s.string; }
TUSK_END
TUSK_ACTION(test_listing) {
  st.s.test.listing = std::move(st.s.values.back());
  st.s.values.pop_back();
}
TUSK_END
TUSK_ACTION(expect_name) { st.s.expectation.name = st.s.qname; }
TUSK_END
TUSK_ACTION(expect_text) { st.s.expectation.text = st.s.string; }
TUSK_END
TUSK_ACTION(expect_number) { st.s.expectation.number = st.s.number; }
TUSK_END
TUSK_ACTION(expect_compare) {
  st.s.expectation.compare = st.s.ops.back();
  st.s.ops.pop_back();
}
TUSK_END
TUSK_ACTION(expect_action) {
  st.s.expectation.kind = Expectation::Kind::kAction;
  st.s.expectation.action = st.s.action;
}
TUSK_END
template <Expectation::Kind K>
struct SetKind {
  template <typename Input>
  static void apply(const Input&, ParseState& st) {
    st.s.expectation.kind = K;
  }
};
template <>
struct Act<g::expect_fired> : SetKind<Expectation::Kind::kFired> {};
template <>
struct Act<g::expect_not_fired> : SetKind<Expectation::Kind::kNotFired> {};
template <>
struct Act<g::expect_score> : SetKind<Expectation::Kind::kScore> {};
template <>
struct Act<g::expect_tag> : SetKind<Expectation::Kind::kTag> {};
template <>
struct Act<g::expect_suggest> : SetKind<Expectation::Kind::kSuggestion> {};
template <>
struct Act<g::expect_evidence> : SetKind<Expectation::Kind::kEvidence> {};
template <>
struct Act<g::expect_account> : SetKind<Expectation::Kind::kAccount> {};
TUSK_ACTION(expect_account_word) { st.s.expectation.account = st.s.account_action; }
TUSK_END
TUSK_ACTION(step_listing) {
  TestStep step;
  step.listing = std::move(st.s.values.back());
  st.s.values.pop_back();
  st.s.test.more.push_back(std::move(step));
}
TUSK_END
TUSK_ACTION(test_step) { st.s.test.more.back().span = st.span(in); }
TUSK_END
TUSK_ACTION(expectation) {
  st.s.expectation.span = st.span(in);
  auto& into = st.s.test.more.empty() ? st.s.test.expectations : st.s.test.more.back().expectations;
  into.push_back(std::move(st.s.expectation));
  st.s.expectation = Expectation{};
}
TUSK_END
TUSK_ACTION(test_decl) {
  st.s.test.span = st.span(in);
  st.file->decls.emplace_back(std::move(st.s.test));
}
TUSK_END

#undef TUSK_ACTION
#undef TUSK_END

// ---------------------------------------------------------------- recovery

bool starts_decl_keyword(std::string_view text, std::size_t pos) {
  static constexpr std::string_view kWords[] = {"use",    "lexicon", "regex",       "rule",
                                                "decide", "suggest", "alternative", "test",
                                                "entity", "counter", "label"};
  for (auto w : kWords) {
    if (text.substr(pos, w.size()) == w &&
        (pos + w.size() >= text.size() || !parse_errors::is_ident_byte(text[pos + w.size()]))) {
      return true;
    }
  }
  return false;
}

// After an error in the declaration that began at `decl_begin`, the next place to resume: a
// line whose first token is a declaration keyword, on or after the line of the error and
// strictly after the declaration's start (so that recovery always makes progress).
std::size_t resync(std::string_view text, std::size_t decl_begin, std::size_t error_at) {
  std::size_t pos = std::min(error_at, text.size());
  while (pos > 0 && text[pos - 1] != '\n') --pos;  // start of the error's line
  if (pos <= decl_begin) {
    pos = text.find('\n', decl_begin);
    if (pos == std::string_view::npos) return text.size();
    ++pos;
  }
  while (pos < text.size()) {
    std::size_t p = pos;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    if (starts_decl_keyword(text, p)) return p;
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return text.size();
    ++pos;
  }
  return text.size();
}

void report(base::Diagnostics& diags, base::SourceId source, const SyntaxError& e) {
  auto b = diags.report(e.code, base::Span{source, e.begin, e.end}, e.message);
  if (!e.label.empty()) b.label(e.label);
  if (e.help) b.help(*e.help);
  if (e.fix_text) b.fix(base::Span{source, e.fix_begin, e.fix_end}, *e.fix_text);
}

}  // namespace

File parse(const base::SourceFile& source, base::Diagnostics& diags, const ParseOptions& options) {
  File file;
  file.source = source.id();
  ParseState st;
  st.text = source.text();
  st.max_depth = options.max_nesting_depth;
  st.max_height = options.max_expression_height;
  st.source = source.id();
  st.diags = &diags;
  st.file = &file;

  const std::string_view text = source.text();
  // A UTF-8 byte order mark, as some Windows editors write, is not part of the program.
  std::size_t offset = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  bool header = true;
  while (offset <= text.size()) {
    st.s = Scratch{};
    st.depth = 0;
    pg::memory_input<pg::tracking_mode::lazy> in(text.data() + offset, text.data() + text.size(),
                                                 source.path());
    try {
      const bool ok = header ? pg::parse<g::file_header, Act, parse_errors::Control>(in, st)
                             : pg::parse<g::next_decl, Act, parse_errors::Control>(in, st);
      if (!ok && !header) break;  // only the end of the file stops next_decl without raising
      header = false;
      offset = st.offset(in.current());
    } catch (const SyntaxError& e) {
      report(diags, source.id(), e);
      if (e.code == base::DiagCode::kUnterminatedComment) break;  // the rest of the file is comment
      header = false;
      const std::size_t decl_begin = parse_errors::skip_separators(text, static_cast<std::uint32_t>(offset));
      offset = resync(text, decl_begin, e.begin);
    }
    if (offset >= text.size() && !header) {
      // A last `next_decl` at the very end would only find eof.
      break;
    }
  }
  std::sort(file.comments.begin(), file.comments.end(),
            [](const Comment& a, const Comment& b) { return a.span.begin < b.span.begin; });
  file.comments.erase(
      std::unique(file.comments.begin(), file.comments.end(),
                  [](const Comment& a, const Comment& b) { return a.span.begin == b.span.begin; }),
      file.comments.end());
  return file;
}

}  // namespace tusk::dsl
