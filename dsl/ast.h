// The parsed tree: exactly what the user wrote, with byte spans, nothing resolved.
// The checker (compiler/) turns it into a separate checked representation; nothing in this
// tree may reach a backend (DuckDB's ParsedExpression vs Bound*Expression).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/source.h"
#include "stdlib/language.h"

namespace tusk::dsl {

struct Ident {
  std::string name;
  base::Span span;
};

// `std.wildlife.ivory`, `seller.country`, `ivory_names`.
struct QualifiedName {
  std::vector<Ident> parts;
  base::Span span;
  std::string str() const;  // parts joined with '.'
};

struct StringLit {
  std::string value;  // escapes decoded, UTF-8
  base::Span span;
};

struct NumberLit {
  double value = 0;
  std::string text;  // as written, for the formatter
  base::Span span;
};

// ---------------------------------------------------------------- expressions

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class BinaryOp { kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kAdd, kSub, kMul, kDiv };
enum class UnaryOp { kNot, kNeg };

const char* to_string(BinaryOp op);
const char* to_string(UnaryOp op);

struct BoolLitExpr {
  bool value = false;
};
struct NumberExpr {
  NumberLit number;
};
struct StringExpr {
  StringLit string;
};
struct RegexLitExpr {
  std::string pattern;  // between the slashes, `\/` kept as written
  std::string flags;    // letters after the closing slash
};
// A bare or dotted name: a field (`title`, `seller.country`, `text`), a rule reference, a
// lexicon or regex name, `score`. What it is, is for the checker to decide.
struct NameExpr {
  QualifiedName name;
};
struct UnaryExpr {
  UnaryOp op;
  ExprPtr operand;
};
struct BinaryExpr {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};
// `category in {"antiques", "art"}`
struct InSetExpr {
  ExprPtr value;
  std::vector<ExprPtr> elements;
  base::Span set_span;
};
// `price in USD`: a money value converted to a currency, giving a number.
struct ConvertExpr {
  ExprPtr money;
  Ident currency;
};
// `title mentions ivory_names`
struct MentionsExpr {
  ExprPtr field;
  ExprPtr lexicon;
};
// `text matches weight_phrase` or `text matches /\d+ kg/`
struct MatchesExpr {
  ExprPtr field;
  ExprPtr regex;
};
// The trailing `within 6 words` of near(...).
struct Within {
  ExprPtr distance;
  Ident unit;  // "words"
  base::Span span;
};
// `near(text, a, b, within 6 words)`, `has(price)`, `count(text, ivory_names)`, `hits(x)`.
struct CallExpr {
  QualifiedName callee;
  std::vector<ExprPtr> args;
  std::optional<Within> within;
};

// `block`, `review`, `allow` as values: what `action` (the listing's decided action) is compared
// with in post-decide conditions (counters, labels, `decide account`).
struct ActionExpr {
  stdlib::Action action = stdlib::Action::kAllow;
};
// `seller has label "wildlife_offender"`: the entity of the listing carries the label now.
struct HasLabelExpr {
  Ident entity;
  StringLit label;
};

struct Expr {
  base::Span span;
  std::variant<BoolLitExpr, NumberExpr, StringExpr, RegexLitExpr, NameExpr, UnaryExpr, BinaryExpr, InSetExpr,
               ConvertExpr, MentionsExpr, MatchesExpr, CallExpr, ActionExpr, HasLabelExpr>
      node;
  // Levels of the tree from this node down, 1 for a leaf. The parser refuses trees higher than
  // ParseOptions::max_expression_height, so whatever walks them recursively has a bounded depth.
  std::uint32_t height = 1;
};

// ---------------------------------------------------------------- lexicons

struct Term {
  std::string text;       // without the trailing `*`
  bool prefix = false;    // "tusk*": matches a word prefix
  int edit_distance = 0;  // "ivory"~1
  base::Span span;        // the whole term including `*` and `~N`
};

// Terms that share attributes: `"ivory", "tusk*" @en weight 0.8 note "..."`.
struct TermGroup {
  std::vector<Term> terms;
  std::optional<Ident> lang;  // `@en` (span covers the `@`)
  std::optional<NumberLit> weight;
  std::optional<StringLit> note;
  base::Span span;
};

struct LexiconExpr;
using LexiconExprPtr = std::unique_ptr<LexiconExpr>;

struct LexiconRef {
  QualifiedName name;
};
struct LexiconLoad {
  StringLit path;
};  // load("lexicons/ivory.yaml")
struct LexiconInline {
  std::vector<TermGroup> groups;
};
enum class LexiconOp { kUnion, kDifference };
struct LexiconBinary {
  LexiconOp op;
  LexiconExprPtr lhs;
  LexiconExprPtr rhs;
};

struct LexiconExpr {
  base::Span span;
  std::variant<LexiconRef, LexiconLoad, LexiconInline, LexiconBinary> node;
  std::uint32_t height = 1;  // as Expr::height
};

// ---------------------------------------------------------------- declarations

struct PackHeader {
  QualifiedName name;
  StringLit version;
  base::Span span;
};

// `module std.wildlife.ivory`: a library file that other files `use`.
struct ModuleHeader {
  QualifiedName name;
  base::Span span;
};

// `use std.wildlife.ivory` or `use "shared/lexicons.tusk"`.
struct UseDecl {
  std::optional<QualifiedName> module;
  std::optional<StringLit> path;
  base::Span span;
};

struct LexiconDecl {
  Ident name;
  std::optional<Ident> profile;  // `lexicon code_words profile evasive { ... }`
  LexiconExprPtr body;
  base::Span span;
};

struct RegexDecl {
  Ident name;
  RegexLitExpr regex;
  base::Span regex_span;
  base::Span span;
};

struct RuleDecl {
  Ident name;
  ExprPtr when;
  std::optional<NumberLit> score;  // may be negative
  std::optional<StringLit> reason;
  std::vector<StringLit> tags;
  std::optional<StringLit> message;
  base::Span span;
};

struct DecideBranch {
  stdlib::Action action = stdlib::Action::kAllow;
  base::Span action_span;
  ExprPtr when;  // null for `otherwise`
  std::optional<StringLit> message;
  base::Span span;
};

struct DecideDecl {
  std::vector<DecideBranch> branches;
  base::Span span;
};

// ---- accounts (docs/accounts.md)

// `over 30 days`, `for 180 days`: an amount and its unit as written; the checker converts it.
struct Window {
  NumberLit amount;
  Ident unit;
  base::Span span;
};

// `entity seller = seller.id`: listings with the same value of the field are one entity.
struct EntityDecl {
  Ident name;
  QualifiedName field;
  base::Span span;
};

// `counter NAME of ENTITY counts (every listing | distinct FIELD [when C] | C) over WINDOW`.
struct CounterDecl {
  enum class Kind { kEvery, kWhen, kDistinct };
  Ident name;
  Ident entity;
  Kind kind = Kind::kEvery;
  std::optional<QualifiedName> distinct;  // kDistinct: the field whose values are counted
  ExprPtr when;                           // kWhen; optional for kDistinct
  Window window;
  base::Span span;
};

// `label ENTITY "name" for WINDOW when C`.
struct LabelDecl {
  Ident entity;
  StringLit name;
  Window lifetime;
  ExprPtr when;
  base::Span span;
};

struct AccountBranch {
  stdlib::AccountAction action = stdlib::AccountAction::kNone;
  base::Span action_span;
  ExprPtr when;  // null for `otherwise`
  base::Span span;
};

// `decide account of seller { suspend when ...  watch when ...  none otherwise }`
struct AccountDecideDecl {
  Ident entity;
  std::vector<AccountBranch> branches;
  base::Span span;
};

// `suggest std.alternatives.tagua_carving when mentions_ivory`
struct SuggestDecl {
  std::optional<QualifiedName> alternative;
  std::optional<StringLit> text;
  ExprPtr when;
  base::Span span;
};

// `alternative tagua_carving { "Carvings in tagua nut ..." @en  "..." @es }`
struct AlternativeText {
  StringLit text;
  std::optional<Ident> lang;
};
struct AlternativeDecl {
  Ident name;
  std::vector<AlternativeText> texts;
  base::Span span;
};

// Listing literal: a JSON-like value written in Tusk syntax.
struct ListingValue;
struct ListingField;
struct ListingValue {
  base::Span span;
  std::variant<std::monostate, bool, NumberLit, StringLit, std::vector<ListingValue>,
               std::vector<ListingField>>
      value;  // monostate = null
};
struct ListingField {
  Ident key;  // identifier or quoted key
  ListingValue value;
};

struct Expectation {
  enum class Kind { kAction, kFired, kNotFired, kScore, kTag, kSuggestion, kEvidence, kAccount };
  Kind kind = Kind::kAction;
  stdlib::Action action = stdlib::Action::kAllow;                // kAction
  stdlib::AccountAction account = stdlib::AccountAction::kNone;  // kAccount
  std::optional<QualifiedName> name;                             // kFired, kNotFired, kSuggestion
  BinaryOp compare = BinaryOp::kEq;                              // kScore
  std::optional<NumberLit> number;                               // kScore
  std::optional<StringLit> text;                                 // kTag, kEvidence
  base::Span span;
};

// A later listing of a sequence test: judged after the ones before it, with the account state
// they left (docs/accounts.md).
struct TestStep {
  ListingValue listing;  // an object
  std::vector<Expectation> expectations;
  base::Span span;
};

struct TestDecl {
  StringLit name;
  ListingValue listing;  // an object
  std::vector<Expectation> expectations;
  std::vector<TestStep> more;  // the listings after the first, in order
  base::Span span;
};

using Decl = std::variant<UseDecl, LexiconDecl, RegexDecl, RuleDecl, DecideDecl, SuggestDecl, AlternativeDecl,
                          TestDecl, EntityDecl, CounterDecl, LabelDecl, AccountDecideDecl>;

// A `// ...` or `/* ... */` comment. The tree does not place comments; the formatter puts them
// back by position.
struct Comment {
  base::Span span;  // the comment itself, without the line break that ends a `//` comment
  bool block = false;
};

struct File {
  base::SourceId source = base::kNoSource;
  std::vector<Comment> comments;  // every comment that parsed, in source order
  std::optional<PackHeader> pack;
  std::optional<ModuleHeader> module;
  std::vector<Decl> decls;
};

}  // namespace tusk::dsl
