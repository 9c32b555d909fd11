// Types of expressions. Values are bool, number, text and money; lexicons, regexes and
// scopes (`text`, `title`) are not values and only appear where an operator or a function
// parameter asks for them. A name that failed to resolve binds to null, and every check
// that sees a null operand stays silent, so one typo gives one error.
#include <fmt/format.h>

#include <cmath>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {
namespace {

Type value_type(stdlib::FieldType t) {
  switch (t) {
    case stdlib::FieldType::kNumber:
      return Type::kNumber;
    case stdlib::FieldType::kMoney:
      return Type::kMoney;
    case stdlib::FieldType::kBool:
      return Type::kBool;
    default:
      return Type::kText;
  }
}

const char* a_type(Type t) {
  switch (t) {
    case Type::kBool:
      return "a condition (bool)";
    case Type::kNumber:
      return "a number";
    case Type::kText:
      return "a text";
    case Type::kMoney:
      return "money";
    case Type::kLexicon:
      return "a lexicon";
    case Type::kRegex:
      return "a regex";
    case Type::kScope:
      return "a set of text fields";
    case Type::kAction:
      return "an action";
  }
  return "?";
}

std::optional<stdlib::CmpOp> cmp_op(dsl::BinaryOp op) {
  switch (op) {
    case dsl::BinaryOp::kEq:
      return stdlib::CmpOp::kEq;
    case dsl::BinaryOp::kNe:
      return stdlib::CmpOp::kNe;
    case dsl::BinaryOp::kLt:
      return stdlib::CmpOp::kLt;
    case dsl::BinaryOp::kLe:
      return stdlib::CmpOp::kLe;
    case dsl::BinaryOp::kGt:
      return stdlib::CmpOp::kGt;
    case dsl::BinaryOp::kGe:
      return stdlib::CmpOp::kGe;
    default:
      return std::nullopt;
  }
}

}  // namespace

BExprPtr Checker::bind_condition(const dsl::Expr& e, const BindCtx& ctx, const char* what) {
  BExprPtr b = bind(e, ctx);
  if (b && b->type != Type::kBool) {
    diags_
        .report(base::DiagCode::kNotACondition, e.span,
                fmt::format("{} must be a condition, but this is {}", what, a_type(b->type)))
        .label(fmt::format("{}, not true or false", a_type(b->type)))
        .help(b->type == Type::kNumber ? "compare it: `... > 0`"
              : b->type == Type::kText ? "compare it (`... == \"x\"`) or search a field with `mentions`"
                                       : "compare it with a value");
    return nullptr;
  }
  return b;
}

BExprPtr Checker::bind(const dsl::Expr& e, const BindCtx& ctx) {
  using namespace dsl;
  using base::DiagCode;
  return std::visit(
      [&](const auto& n) -> BExprPtr {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, BoolLitExpr>) {
          return make(Type::kBool, e.span, BConst{n.value});
        } else if constexpr (std::is_same_v<T, NumberExpr>) {
          return make(Type::kNumber, e.span, BConst{n.number.value});
        } else if constexpr (std::is_same_v<T, StringExpr>) {
          return make(Type::kText, e.span, BConst{n.string.value});
        } else if constexpr (std::is_same_v<T, RegexLitExpr>) {
          diags_.report(DiagCode::kWrongKind, e.span, "a regex is not a value")
              .label("a regex can only follow `matches`")
              .help("write `text matches /.../`");
          return nullptr;
        } else if constexpr (std::is_same_v<T, NameExpr>) {
          return bind_name(e, n, ctx);
        } else if constexpr (std::is_same_v<T, UnaryExpr>) {
          if (n.op == UnaryOp::kNot) {
            auto operand = bind_condition(*n.operand, ctx, "the operand of `not`");
            if (!operand) return nullptr;
            return make(Type::kBool, e.span, BNot{std::move(operand)});
          }
          auto operand = bind(*n.operand, ctx);
          if (!operand) return nullptr;
          if (operand->type != Type::kNumber) {
            diags_
                .report(
                    operand->type == Type::kMoney ? DiagCode::kMoneyNeedsConversion : DiagCode::kTypeMismatch,
                    n.operand->span, fmt::format("`-` needs a number, but this is {}", a_type(operand->type)))
                .label(a_type(operand->type));
            return nullptr;
          }
          return make(Type::kNumber, e.span, BNeg{std::move(operand)});
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          if (n.op == BinaryOp::kAnd || n.op == BinaryOp::kOr) {
            const char* word = n.op == BinaryOp::kAnd ? "an operand of `and`" : "an operand of `or`";
            auto l = bind_condition(*n.lhs, ctx, word);
            auto r = bind_condition(*n.rhs, ctx, word);
            if (!l || !r) return nullptr;
            std::vector<BExprPtr> ops;
            for (auto* side : {&l, &r}) {
              BExpr& s = **side;
              if (n.op == BinaryOp::kAnd && std::holds_alternative<BAnd>(s.node)) {
                for (auto& o : std::get<BAnd>(s.node).operands) ops.push_back(std::move(o));
              } else if (n.op == BinaryOp::kOr && std::holds_alternative<BOr>(s.node)) {
                for (auto& o : std::get<BOr>(s.node).operands) ops.push_back(std::move(o));
              } else {
                ops.push_back(std::move(*side));
              }
            }
            if (n.op == BinaryOp::kAnd) return make(Type::kBool, e.span, BAnd{std::move(ops)});
            return make(Type::kBool, e.span, BOr{std::move(ops)});
          }
          if (cmp_op(n.op)) return bind_compare(e, n, ctx);
          auto l = bind(*n.lhs, ctx);
          auto r = bind(*n.rhs, ctx);
          if (!l || !r) return nullptr;
          for (auto* side : {&l, &r}) {
            const BExpr& s = **side;
            if (s.type == Type::kNumber) continue;
            if (s.type == Type::kMoney) {
              diags_
                  .report(DiagCode::kMoneyNeedsConversion, s.span,
                          fmt::format("arithmetic on money needs a currency"))
                  .label("money, in the listing's own currency")
                  .help(fmt::format("convert it: `{} in {}`", slice(s.span), out_->base_currency))
                  .fix(s.span, fmt::format("{} in {}", slice(s.span), out_->base_currency));
            } else {
              diags_
                  .report(DiagCode::kTypeMismatch, s.span,
                          fmt::format("`{}` needs numbers, but this is {}", to_string(n.op), a_type(s.type)))
                  .label(a_type(s.type));
            }
            return nullptr;
          }
          const stdlib::ArithOp op = n.op == BinaryOp::kAdd   ? stdlib::ArithOp::kAdd
                                     : n.op == BinaryOp::kSub ? stdlib::ArithOp::kSub
                                     : n.op == BinaryOp::kMul ? stdlib::ArithOp::kMul
                                                              : stdlib::ArithOp::kDiv;
          return make(Type::kNumber, e.span, BArith{op, std::move(l), std::move(r)});
        } else if constexpr (std::is_same_v<T, InSetExpr>) {
          return bind_in_set(e, n, ctx);
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          auto money = bind(*n.money, ctx);
          const std::string& code = n.currency.name;
          bool known = out_->rates.count(code) > 0;
          if (!known) {
            std::vector<std::string> codes;
            for (const auto& [c, r] : out_->rates) codes.push_back(c);
            auto b = diags_.report(DiagCode::kUnknownCurrency, n.currency.span,
                                   fmt::format("unknown currency `{}`", code));
            b.label("not in the pack's rate table");
            if (auto near = did_you_mean(code, codes)) {
              b.help(fmt::format("did you mean `{}`?", *near)).fix(n.currency.span, *near);
            } else {
              b.help(fmt::format("add `{}` to `currency.rates` in pack.yaml", code));
            }
            b.note(fmt::format("known currencies: {}", fmt::join(codes, ", ")));
          }
          if (!money) return nullptr;
          if (money->type != Type::kMoney) {
            diags_
                .report(DiagCode::kTypeMismatch, n.money->span,
                        fmt::format("`in {}` converts money, but this is {}", code, a_type(money->type)))
                .label(a_type(money->type))
                .help("only money fields (like `price`) and `per_kg(...)` can be converted");
            return nullptr;
          }
          if (!known) return nullptr;
          return make(Type::kNumber, e.span, BConvert{std::move(money), code});
        } else if constexpr (std::is_same_v<T, MentionsExpr>) {
          auto scope = bind_scope(*n.field);
          auto lex = bind_lexicon(*n.lexicon);
          if (!scope || !lex) return nullptr;
          return make(Type::kBool, e.span, BMentions{std::move(*scope), *lex});
        } else if constexpr (std::is_same_v<T, MatchesExpr>) {
          auto scope = bind_scope(*n.field);
          auto re = bind_regex(*n.regex);
          if (!scope || !re) return nullptr;
          return make(Type::kBool, e.span, BMatches{std::move(*scope), *re});
        } else if constexpr (std::is_same_v<T, ActionExpr>) {
          return make(Type::kAction, e.span, BConst{static_cast<double>(n.action)});
        } else if constexpr (std::is_same_v<T, HasLabelExpr>) {
          return bind_has_label(e, n);
        } else {
          return bind_call(e, n, ctx);
        }
      },
      e.node);
}

BExprPtr Checker::bind_name(const dsl::Expr& e, const dsl::NameExpr& n, const BindCtx& ctx) {
  const std::string name = n.name.str();
  if (Symbol* sym = lookup(n.name)) {
    if (sym->kind == SymKind::kRule) {
      sym->used = true;
      rules_[sym->index].referenced = true;
      return make(Type::kBool, e.span, BRuleRef{rules_[sym->index].id});
    }
    const char* hint = sym->kind == SymKind::kLexicon   ? "search a field for it: `text mentions NAME`"
                       : sym->kind == SymKind::kRegex   ? "match a field against it: `text matches NAME`"
                       : sym->kind == SymKind::kCounter ? "read its value: `count(NAME) >= 2`"
                       : sym->kind == SymKind::kEntity  ? "ask for a label: `NAME has label \"x\"`"
                                                        : "suggest it: `suggest NAME when ...`";
    std::string h = hint;
    h.replace(h.find("NAME"), 4, name);
    report_wrong_kind(*sym, n.name.span, "a condition or a value", h.c_str());
    sym->used = true;
    return nullptr;
  }
  if (name == "score") {
    if (ctx.in_decide) return make(Type::kNumber, e.span, BScoreRef{});
    diags_.report(base::DiagCode::kScoreOutsideDecide, n.name.span, "`score` can only be used in `decide`")
        .label("the listing's score is known only after every rule has run")
        .help("refer to the rules themselves, or move this condition into `decide`");
    return nullptr;
  }
  if (name == "action" && (ctx.post_decide || !find_field(name))) {
    if (ctx.post_decide) return make(Type::kAction, e.span, BActionRef{});
    diags_.report(base::DiagCode::kActionOutsidePostDecide, n.name.span, "`action` is not known yet here")
        .label("the listing's action is decided after every rule and `decide` branch")
        .help("read `action` in a counter's `counts`, a label's `when` or `decide account`");
    return nullptr;
  }
  if (name == "text") {
    diags_
        .report(base::DiagCode::kWrongKind, n.name.span,
                "`text` is all text fields together and has no single value")
        .label("a set of text fields")
        .help("search it: `text mentions LEXICON` or `text matches REGEX`");
    return nullptr;
  }
  if (auto id = find_field(name)) {
    const stdlib::Field& f = out_->fields[*id];
    if (f.type == stdlib::FieldType::kTextList) {
      diags_
          .report(base::DiagCode::kWrongKind, n.name.span,
                  fmt::format("`{}` is a list of texts and has no single value", name))
          .label("a text list")
          .help(fmt::format("search it: `{} mentions LEXICON`", name));
      return nullptr;
    }
    return make(value_type(f.type), e.span, BFieldRef{*id});
  }
  std::vector<std::string> candidates;
  for (const auto& r : rules_) candidates.push_back(syms_[r.sym].name);
  for (const auto& f : out_->fields) candidates.push_back(f.path);
  if (ctx.in_decide) candidates.push_back("score");
  auto b = diags_.report(base::DiagCode::kUnknownName, n.name.span, fmt::format("unknown name `{}`", name));
  b.label("not a rule or a field");
  if (auto near = suggest(name, candidates)) {
    b.help(fmt::format("did you mean `{}`?", *near)).fix(n.name.span, *near);
  } else if (auto lex = suggest(name, names_of(SymKind::kLexicon))) {
    b.help(fmt::format("to search for lexicon `{}`, write `text mentions {}`", *lex, *lex));
  }
  return nullptr;
}

BExprPtr Checker::bind_compare(const dsl::Expr& e, const dsl::BinaryExpr& b, const BindCtx& ctx) {
  // `title == ivory_names`: a lexicon or regex is searched for, not compared. One error with
  // the fix, instead of one for each side.
  if (b.op == dsl::BinaryOp::kEq || b.op == dsl::BinaryOp::kNe) {
    if (const auto* n = std::get_if<dsl::NameExpr>(&b.rhs->node)) {
      Symbol* sym = lookup(n->name);
      if (sym != nullptr && (sym->kind == SymKind::kLexicon || sym->kind == SymKind::kRegex)) {
        sym->used = true;  // it is used, wrongly: the error says so, "unused" would not
        const bool lexicon = sym->kind == SymKind::kLexicon;
        const char* verb = lexicon ? "mentions" : "matches";
        const std::string field = slice(b.lhs->span);
        const std::string target = slice(n->name.span);
        const std::string replacement =
            fmt::format("{}{} {} {}", b.op == dsl::BinaryOp::kNe ? "not " : "", field, verb, target);
        diags_
            .report(base::DiagCode::kWrongKind, e.span,
                    fmt::format("`{}` is a {}: search for it with `{}`, not `{}`", target,
                                lexicon ? "lexicon" : "regex", verb, dsl::to_string(b.op)))
            .label(fmt::format("`{}` compares values", dsl::to_string(b.op)))
            .help(fmt::format("write `{}`", replacement))
            .fix(e.span, replacement);
        return nullptr;
      }
    }
  }
  auto l = bind(*b.lhs, ctx);
  auto r = bind(*b.rhs, ctx);
  if (!l || !r) return nullptr;
  const stdlib::CmpOp op = *cmp_op(b.op);
  const char* op_text = dsl::to_string(b.op);
  for (auto* side : {&l, &r}) {
    const BExpr& s = **side;
    if (s.type != Type::kMoney) continue;
    const std::string written = slice(s.span);
    diags_
        .report(base::DiagCode::kMoneyNeedsConversion, s.span,
                fmt::format("`{}` is money and must be converted before comparing", written))
        .label("money, in the listing's own currency")
        .help(fmt::format("convert it: `{} in {}`", written, out_->base_currency))
        .fix(s.span, fmt::format("{} in {}", written, out_->base_currency));
    return nullptr;
  }
  if (l->type != r->type) {
    diags_
        .report(
            base::DiagCode::kTypeMismatch, r->span,
            fmt::format("cannot compare {} with {} using `{}`", a_type(l->type), a_type(r->type), op_text))
        .label(fmt::format("this is {}", a_type(r->type)))
        .secondary(l->span, fmt::format("this is {}", a_type(l->type)))
        .help(l->type == Type::kText || r->type == Type::kText
                  ? "compare a number with a number (`price in USD < 20`, not `< \"20\"`); to look for a "
                    "word, use `mentions`"
                  : "both sides must have the same type");
    return nullptr;
  }
  if (l->type == Type::kBool) {
    diags_
        .report(base::DiagCode::kTypeMismatch, e.span,
                fmt::format("cannot compare conditions with `{}`", op_text))
        .label("both sides are conditions")
        .help("combine conditions with `and`, `or` and `not`");
    return nullptr;
  }
  if (l->type == Type::kText && op != stdlib::CmpOp::kEq && op != stdlib::CmpOp::kNe) {
    diags_
        .report(base::DiagCode::kTypeMismatch, e.span,
                fmt::format("texts can only be compared with `==` and `!=`, not `{}`", op_text))
        .label("ordering texts is not supported");
    return nullptr;
  }
  return make(Type::kBool, e.span, BCompare{op, std::move(l), std::move(r)});
}

BExprPtr Checker::bind_in_set(const dsl::Expr& e, const dsl::InSetExpr& s, const BindCtx& ctx) {
  auto value = bind(*s.value, ctx);
  if (value && value->type == Type::kMoney) {
    const std::string written = slice(value->span);
    diags_
        .report(base::DiagCode::kMoneyNeedsConversion, value->span,
                fmt::format("`{}` is money and must be converted first", written))
        .label("money, in the listing's own currency")
        .help(fmt::format("convert it: `{} in {}`", written, out_->base_currency));
    return nullptr;
  }
  if (value && value->type != Type::kText && value->type != Type::kNumber) {
    diags_
        .report(base::DiagCode::kTypeMismatch, s.value->span,
                fmt::format("`in {{...}}` needs a text or a number, but this is {}", a_type(value->type)))
        .label(a_type(value->type));
    return nullptr;
  }
  std::vector<BConst> elements;
  bool ok = value != nullptr;
  for (const auto& el : s.elements) {
    const dsl::Expr* x = el.get();
    double sign = 1;
    if (const auto* u = std::get_if<dsl::UnaryExpr>(&x->node);
        u && u->op == dsl::UnaryOp::kNeg && std::holds_alternative<dsl::NumberExpr>(u->operand->node)) {
      sign = -1;
      x = u->operand.get();
    }
    std::optional<BConst> c;
    Type t = Type::kBool;
    if (const auto* num = std::get_if<dsl::NumberExpr>(&x->node)) {
      c = BConst{sign * num->number.value};
      t = Type::kNumber;
    } else if (const auto* str = std::get_if<dsl::StringExpr>(&x->node)) {
      c = BConst{str->string.value};
      t = Type::kText;
    }
    if (!c) {
      diags_.report(base::DiagCode::kBadSetElement, el->span, "an element of `in {...}` must be a constant")
          .label("not a text or number literal")
          .help("list literal values: `category in {\"antiques\", \"art\"}`");
      ok = false;
      continue;
    }
    if (value && t != value->type) {
      diags_
          .report(base::DiagCode::kBadSetElement, el->span,
                  fmt::format("{} in a set of {} values", a_type(t), to_string(value->type)))
          .label(fmt::format("expected {}", a_type(value->type)))
          .secondary(s.value->span, fmt::format("this is {}", a_type(value->type)));
      ok = false;
      continue;
    }
    elements.push_back(std::move(*c));
  }
  if (!ok) return nullptr;
  return make(Type::kBool, e.span, BInSet{std::move(value), std::move(elements)});
}

std::optional<Scope> Checker::bind_scope(const dsl::Expr& e) {
  const auto* n = std::get_if<dsl::NameExpr>(&e.node);
  if (n == nullptr) {
    diags_.report(base::DiagCode::kWrongKind, e.span, "expected a text field to search")
        .label("not a field name")
        .help("search `text` (all text fields) or one field such as `title`");
    return std::nullopt;
  }
  const std::string name = n->name.str();
  Scope scope;
  scope.name = name;
  if (Symbol* sym = lookup(n->name)) {
    sym->used = true;
    report_wrong_kind(*sym, n->name.span, "a text field",
                      "search `text` (all text fields) or one field such as `title`");
    return std::nullopt;
  }
  if (name == "text") {
    for (stdlib::FieldId i = 0; i < out_->fields.size(); ++i) {
      if (out_->fields[i].in_text) scope.fields.push_back(i);
    }
    return scope;
  }
  if (auto id = find_field(name)) {
    const stdlib::Field& f = out_->fields[*id];
    if (f.type != stdlib::FieldType::kText && f.type != stdlib::FieldType::kTextList) {
      diags_
          .report(base::DiagCode::kWrongKind, n->name.span,
                  fmt::format("`{}` is a {} field and cannot be searched", name, to_string(f.type)))
          .label("not a text field")
          .help("search `text` (all text fields) or one text field such as `title`");
      return std::nullopt;
    }
    scope.fields.push_back(*id);
    return scope;
  }
  std::vector<std::string> candidates{"text"};
  for (const auto& f : out_->fields) {
    if (f.type == stdlib::FieldType::kText || f.type == stdlib::FieldType::kTextList) {
      candidates.push_back(f.path);
    }
  }
  auto b =
      diags_.report(base::DiagCode::kUnknownField, n->name.span, fmt::format("unknown field `{}`", name));
  b.label("not a field of the listing");
  if (auto near = did_you_mean(name, candidates)) {
    b.help(fmt::format("did you mean `{}`?", *near)).fix(n->name.span, *near);
  } else {
    b.help("declare extra fields under `fields:` in pack.yaml");
  }
  return std::nullopt;
}

std::optional<LexiconId> Checker::bind_lexicon(const dsl::Expr& e) {
  const auto* n = std::get_if<dsl::NameExpr>(&e.node);
  if (n == nullptr) {
    diags_.report(base::DiagCode::kWrongKind, e.span, "expected a lexicon name")
        .label("not a lexicon")
        .help("declare the terms in a lexicon and name it here: `lexicon words { \"a\", \"b\" }`");
    return std::nullopt;
  }
  Symbol* sym = lookup(n->name);
  if (sym == nullptr) {
    const std::string name = n->name.str();
    auto b = diags_.report(base::DiagCode::kUnknownLexicon, n->name.span,
                           fmt::format("unknown lexicon `{}`", name));
    b.label("no lexicon has this name");
    if (auto near = suggest(name, names_of(SymKind::kLexicon))) {
      b.help(fmt::format("did you mean `{}`?", *near)).fix(n->name.span, *near);
    }
    return std::nullopt;
  }
  if (sym->kind != SymKind::kLexicon) {
    sym->used = true;
    report_wrong_kind(*sym, n->name.span, "a lexicon",
                      sym->kind == SymKind::kRegex ? "use `matches` for a regex: `text matches NAME`" : "");
    return std::nullopt;
  }
  return intern_lexicon(*sym);
}

std::optional<RegexId> Checker::bind_regex(const dsl::Expr& e) {
  if (const auto* r = std::get_if<dsl::RegexLitExpr>(&e.node)) return inline_regex(*r, e.span);
  const auto* n = std::get_if<dsl::NameExpr>(&e.node);
  if (n == nullptr) {
    diags_.report(base::DiagCode::kWrongKind, e.span, "expected a regex")
        .label("not a regex")
        .help("write a regex literal `/.../` or the name of a `regex` declaration");
    return std::nullopt;
  }
  Symbol* sym = lookup(n->name);
  if (sym == nullptr) {
    const std::string name = n->name.str();
    auto b =
        diags_.report(base::DiagCode::kUnknownRegex, n->name.span, fmt::format("unknown regex `{}`", name));
    b.label("no regex has this name");
    if (auto near = suggest(name, names_of(SymKind::kRegex))) {
      b.help(fmt::format("did you mean `{}`?", *near)).fix(n->name.span, *near);
    }
    return std::nullopt;
  }
  if (sym->kind != SymKind::kRegex) {
    sym->used = true;
    report_wrong_kind(
        *sym, n->name.span, "a regex",
        sym->kind == SymKind::kLexicon ? "use `mentions` for a lexicon: `text mentions NAME`" : "");
    return std::nullopt;
  }
  return intern_regex(*sym);
}

BExprPtr Checker::bind_call(const dsl::Expr& e, const dsl::CallExpr& c, const BindCtx& ctx) {
  const std::string name = c.callee.str();
  // `count(NAME)` with one argument reads a counter; `count(scope, lexicon)` is the built-in.
  if (name == "count" && c.args.size() == 1 && !c.within) return bind_counter_read(e, *c.args[0]);
  const stdlib::FunctionDecl* fn = stdlib::find_function(name);
  if (fn == nullptr) {
    std::vector<std::string> names;
    for (const auto& f : stdlib::functions()) names.push_back(std::string(f.name));
    auto b = diags_.report(base::DiagCode::kUnknownFunction, c.callee.span,
                           fmt::format("unknown function `{}`", name));
    b.label("not a built-in function");
    if (auto near = did_you_mean(name, names)) {
      b.help(fmt::format("did you mean `{}`?", *near)).fix(c.callee.span, *near);
    } else {
      b.note(fmt::format("functions: {}", fmt::join(names, ", ")));
    }
    return nullptr;
  }
  std::vector<stdlib::Param> params;
  bool wants_within = false;
  for (auto p : fn->params) {
    if (p == stdlib::Param::kWithin) {
      wants_within = true;
    } else {
      params.push_back(p);
    }
  }
  const std::string signature(fn->doc.substr(0, fn->doc.find(':')));
  if (c.args.size() != params.size()) {
    diags_
        .report(
            base::DiagCode::kBadArgument, e.span,
            fmt::format("`{}` takes {} argument{}, but {} {} given", name, params.size(),
                        params.size() == 1 ? "" : "s", c.args.size(), c.args.size() == 1 ? "was" : "were"))
        .label("wrong number of arguments")
        .help(fmt::format("write `{}`", signature));
    return nullptr;
  }
  if (wants_within != c.within.has_value()) {
    diags_
        .report(base::DiagCode::kBadArgument, c.within ? c.within->span : e.span,
                wants_within ? fmt::format("`{}` needs a distance: `within N words`", name)
                             : fmt::format("`{}` takes no `within`", name))
        .label(wants_within ? "missing `within N words`" : "unexpected `within`")
        .help(fmt::format("write `{}`", signature));
    return nullptr;
  }
  if (c.within) {
    // The grammar accepts `within` among the arguments; the language puts it last.
    for (const auto& arg : c.args) {
      if (arg->span.begin < c.within->span.begin) continue;
      diags_
          .report(base::DiagCode::kBadWithin, c.within->span, "`within` must be the last argument of a call")
          .label("not last")
          .secondary(arg->span, "an argument after it")
          .help(fmt::format("write `{}`", signature));
      return nullptr;
    }
  }
  BCall call;
  call.function = stdlib::FunctionId{fn->id};
  bool ok = true;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const dsl::Expr& arg = *c.args[i];
    switch (params[i]) {
      case stdlib::Param::kScope: {
        auto s = bind_scope(arg);
        if (s) {
          call.scope = std::move(*s);
        } else {
          ok = false;
        }
        break;
      }
      case stdlib::Param::kLexicon: {
        auto l = bind_lexicon(arg);
        if (l) {
          call.lexicons.push_back(*l);
        } else {
          ok = false;
        }
        break;
      }
      case stdlib::Param::kLexiconOrRegex: {
        const auto* n = std::get_if<dsl::NameExpr>(&arg.node);
        Symbol* sym = n ? lookup(n->name) : nullptr;
        if (std::holds_alternative<dsl::RegexLitExpr>(arg.node) || (sym && sym->kind == SymKind::kRegex)) {
          auto r = bind_regex(arg);
          if (r) {
            call.regexes.push_back(*r);
          } else {
            ok = false;
          }
        } else if (sym == nullptr && n != nullptr) {
          std::vector<std::string> cands = names_of(SymKind::kLexicon);
          for (auto& r : names_of(SymKind::kRegex)) cands.push_back(r);
          auto b = diags_.report(base::DiagCode::kUnknownLexicon, n->name.span,
                                 fmt::format("unknown lexicon or regex `{}`", n->name.str()));
          b.label("no lexicon or regex has this name");
          if (auto near = suggest(n->name.str(), cands)) {
            b.help(fmt::format("did you mean `{}`?", *near)).fix(n->name.span, *near);
          }
          ok = false;
        } else {
          auto l = bind_lexicon(arg);
          if (l) {
            call.lexicons.push_back(*l);
          } else {
            ok = false;
          }
        }
        break;
      }
      case stdlib::Param::kField: {
        const auto* n = std::get_if<dsl::NameExpr>(&arg.node);
        std::optional<stdlib::FieldId> id = n ? find_field(n->name.str()) : std::nullopt;
        if (!id) {
          std::vector<std::string> cands;
          for (const auto& f : out_->fields) cands.push_back(f.path);
          auto b = diags_.report(
              base::DiagCode::kUnknownField, n ? n->name.span : arg.span,
              n ? fmt::format("unknown field `{}`", n->name.str()) : std::string("expected a field name"));
          b.label(n ? "not a field of the listing" : "not a field");
          if (n) {
            if (auto near = did_you_mean(n->name.str(), cands)) {
              b.help(fmt::format("did you mean `{}`?", *near)).fix(n->name.span, *near);
            }
          }
          ok = false;
        } else {
          call.field = *id;
        }
        break;
      }
      case stdlib::Param::kNumber:
      case stdlib::Param::kMoney: {
        auto v = bind(arg, ctx);
        const Type want = params[i] == stdlib::Param::kNumber ? Type::kNumber : Type::kMoney;
        if (v && v->type != want) {
          diags_
              .report(base::DiagCode::kBadArgument, arg.span,
                      fmt::format("argument {} of `{}` must be {}, but this is {}", i + 1, name, a_type(want),
                                  a_type(v->type)))
              .label(fmt::format("expected {}", a_type(want)))
              .help(fmt::format("write `{}`", signature));
          v = nullptr;
        }
        if (v) {
          call.args.push_back(std::move(v));
        } else {
          ok = false;
        }
        break;
      }
      case stdlib::Param::kWithin:
        break;
    }
  }
  if (c.within) {
    const auto* num = std::get_if<dsl::NumberExpr>(&c.within->distance->node);
    if (num == nullptr || num->number.value < 0 || num->number.value != std::floor(num->number.value) ||
        num->number.value > 1000) {
      diags_
          .report(base::DiagCode::kBadWithin, c.within->distance->span,
                  "`within` needs a whole number of words")
          .label("expected a non-negative integer constant")
          .help("write `within 6 words`");
      ok = false;
    } else {
      call.args.push_back(make(Type::kNumber, c.within->distance->span, BConst{num->number.value}));
    }
    if (c.within->unit.name != "words") {
      diags_
          .report(base::DiagCode::kBadWithin, c.within->unit.span,
                  fmt::format("unknown distance unit `{}`", c.within->unit.name))
          .label("distances are counted in words")
          .help("write `words`")
          .fix(c.within->unit.span, "words");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  const Type t = fn->result == stdlib::Result::kBool    ? Type::kBool
                 : fn->result == stdlib::Result::kMoney ? Type::kMoney
                                                        : Type::kNumber;
  return make(t, e.span, std::move(call));
}

}  // namespace tusk::compiler::front
