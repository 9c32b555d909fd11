// The checked representation of a pack: every name resolved, every expression typed.
// Produced only by the checker from a tree without errors; it is the sole input of the
// planner, so nothing unresolved can reach a backend (STYLE habit 2).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/source.h"
#include "dsl/ast.h"
#include "stdlib/fields.h"
#include "stdlib/functions.h"
#include "stdlib/language.h"

namespace tusk::compiler::front {

enum class Type { kBool, kNumber, kText, kMoney, kLexicon, kRegex, kScope, kAction };
const char* to_string(Type t);

// ------------------------------------------------------------------ fields

// A set of text fields that `mentions`, `matches`, `near` and `count` look in:
// one field (`title`) or the `text` pseudo-field (all fields with in_text).
struct Scope {
  std::vector<stdlib::FieldId> fields;  // sorted, unique
  std::string name;                     // as written: "text", "title", "seller.description"
};

// ------------------------------------------------------------------ lexicons and regexes

struct CheckedTerm {
  std::string text;  // as written (not normalized: the runtime normalizes with the profile)
  bool prefix = false;
  int edit_distance = 0;
  std::string lang;  // "" when untagged
  double weight = 1.0;
  std::string note;
  std::string source;  // provenance for terms loaded from YAML ("TRAFFIC 2020, p. 12")
  std::string status;  // sourced | sourced_translation | sourced_fiction_or_blog | unverified | ""
  base::Span span;
};

using LexiconId = std::uint32_t;
struct CheckedLexicon {
  std::string name;                // fully qualified for modules: "std.wildlife.ivory.code_words"
  std::string profile;             // normalization profile name; "" = the pack default
  std::vector<CheckedTerm> terms;  // after algebra, de-duplicated by (text, prefix, edit_distance)
  base::Span span;
};

using RegexId = std::uint32_t;
struct CheckedRegex {
  std::string name;  // "" for a literal written inline after `matches`
  std::string pattern;
  std::string flags;
  base::Span span;
};

// ------------------------------------------------------------------ bound expressions

struct BExpr;
using BExprPtr = std::unique_ptr<BExpr>;
using RuleId = std::uint32_t;

struct BConst {
  std::variant<bool, double, std::string> value;
};
struct BFieldRef {
  stdlib::FieldId field;
};  // number, text, money or bool field value
struct BRuleRef {
  RuleId rule;
};                    // "that rule fired"
struct BScoreRef {};  // the listing's score; only inside `decide`
struct BNot {
  BExprPtr operand;
};
struct BAnd {
  std::vector<BExprPtr> operands;
};  // flattened
struct BOr {
  std::vector<BExprPtr> operands;
};  // flattened
struct BCompare {
  stdlib::CmpOp op;
  BExprPtr lhs;
  BExprPtr rhs;
};  // number/number, or text/text with == !=
struct BArith {
  stdlib::ArithOp op;
  BExprPtr lhs;
  BExprPtr rhs;
};
struct BNeg {
  BExprPtr operand;
};
struct BInSet {
  BExprPtr value;
  std::vector<BConst> elements;
};  // text or number, all constants
struct BConvert {
  BExprPtr money;
  std::string currency;
};  // money -> number in `currency`
struct BMentions {
  Scope scope;
  LexiconId lexicon;
};
struct BMatches {
  Scope scope;
  RegexId regex;
};
// A call to a stdlib function (has, near, count, weight_kg, per_kg, len, ...). Arguments that
// name a scope, lexicon or regex are bound into `scope`/`lexicons`/`regexes`; value arguments
// are in `args`. The signature in stdlib/functions.h says which is which.
struct BCall {
  stdlib::FunctionId function;
  std::optional<Scope> scope;
  std::vector<LexiconId> lexicons;
  std::vector<RegexId> regexes;
  std::optional<stdlib::FieldId> field;  // has(field)
  std::vector<BExprPtr> args;
};

// Account state as it was before this listing: CheckedPack::state_reads[read] (a counter's value,
// a number; or a label's presence, a bool). Missing (NaN) when the listing has no entity id.
struct BStateRead {
  std::uint32_t read;
};
// The listing's decided action (Type::kAction); only in post-decide conditions. An action
// literal (`block`) is a BConst holding the stdlib::Action as a double.
struct BActionRef {};

struct BExpr {
  Type type = Type::kBool;
  base::Span span;
  std::variant<BConst, BFieldRef, BRuleRef, BScoreRef, BNot, BAnd, BOr, BCompare, BArith, BNeg, BInSet,
               BConvert, BMentions, BMatches, BCall, BStateRead, BActionRef>
      node;
};

// ------------------------------------------------------------------ templates

// A `reason` or `message` string split into literal text and placeholders:
// "sold by weight ({first(weight_phrase)})" -> ["sold by weight (", first(weight_phrase), ")"].
struct TemplatePart {
  using Kind = stdlib::TemplateKind;
  Kind kind = Kind::kLiteral;
  std::string literal;                   // kLiteral
  std::optional<LexiconId> lexicon;      // kHits, kFirst, kCount
  std::optional<RegexId> regex;          // kFirst, kCount
  std::optional<stdlib::FieldId> field;  // kField
};
struct Template {
  std::vector<TemplatePart> parts;
  std::string source;  // as written
  base::Span span;
};

// ------------------------------------------------------------------ declarations

struct CheckedRule {
  std::string name;
  BExprPtr when;
  double score = 0;
  std::optional<Template> reason;
  std::vector<std::string> tags;
  std::optional<Template> message;
  std::vector<RuleId> depends_on;  // rules referenced by `when`
  base::Span span;
};

struct CheckedBranch {
  stdlib::Action action = stdlib::Action::kAllow;
  BExprPtr when;  // null = otherwise
  std::optional<Template> message;
  base::Span span;
};

struct CheckedAlternative {
  std::string name;                                        // qualified: "std.alternatives.tagua_carving"
  std::vector<std::pair<std::string, std::string>> texts;  // (lang, text), in declared order
  base::Span span;
};

struct CheckedSuggestion {
  std::optional<std::uint32_t> alternative;  // index into alternatives
  std::string text;                          // inline text when no alternative
  BExprPtr when;
  base::Span span;
};

struct CheckedExpectation {
  dsl::Expectation::Kind kind;
  stdlib::Action action = stdlib::Action::kAllow;
  stdlib::AccountAction account = stdlib::AccountAction::kNone;  // kAccount
  std::optional<RuleId> rule;                                    // kFired, kNotFired
  std::optional<std::uint32_t> alternative;                      // kSuggestion
  stdlib::CmpOp compare = stdlib::CmpOp::kEq;                    // kScore
  double number = 0;
  std::string text;  // kTag, kEvidence
  base::Span span;
};

struct CheckedTestStep {
  std::string listing_json;
  std::vector<CheckedExpectation> expectations;
  base::Span span;
};

struct CheckedTest {
  std::string name;
  std::string listing_json;  // the listing literal rendered as a JSON object, one line
  std::vector<CheckedExpectation> expectations;
  std::vector<CheckedTestStep> more;  // a sequence test's later listings, in order
  base::Span span;
};

// ------------------------------------------------------------------ accounts (docs/accounts.md)

struct CheckedEntity {
  std::string name;
  stdlib::FieldId field = 0;  // a text field: its value is the entity's id
  base::Span span;
};

struct CheckedCounter {
  std::string name;
  std::uint32_t entity = 0;
  bool distinct = false;  // counts distinct values of `distinct_field`
  stdlib::FieldId distinct_field = 0;
  BExprPtr when;  // null: every listing
  std::int64_t window_seconds = 0;
  base::Span span;
};

struct CheckedLabel {
  std::uint32_t entity = 0;
  std::string name;
  std::int64_t lifetime_seconds = 0;
  BExprPtr when;
  base::Span span;
};

struct CheckedAccountBranch {
  stdlib::AccountAction action = stdlib::AccountAction::kNone;
  BExprPtr when;  // null = otherwise
  base::Span span;
};

struct CheckedAccountDecide {
  std::uint32_t entity = 0;
  std::vector<CheckedAccountBranch> branches;
  base::Span span;
};

// What a condition reads of the state: a counter's value or whether a label is on.
struct CheckedStateRead {
  bool is_label = false;
  std::uint32_t entity = 0;
  std::uint32_t counter = 0;  // !is_label
  std::string label;          // is_label
};

struct CheckedPack {
  std::string name;
  std::string version;
  std::vector<stdlib::Field> fields;
  std::vector<CheckedLexicon> lexicons;  // only lexicons reachable from the pack
  std::vector<CheckedRegex> regexes;
  std::vector<CheckedRule> rules;  // topologically ordered: dependencies first
  std::vector<CheckedBranch> decide;
  std::vector<CheckedAlternative> alternatives;
  std::vector<CheckedSuggestion> suggestions;
  std::vector<CheckedTest> tests;
  std::vector<CheckedEntity> entities;
  std::vector<CheckedCounter> counters;
  std::vector<CheckedLabel> labels;
  std::optional<CheckedAccountDecide> account;
  std::vector<CheckedStateRead> state_reads;
  std::string default_profile = "default";
  // Money: base currency and units of base per unit of each currency (pack.yaml `currency`).
  std::string base_currency = "USD";
  std::string rates_as_of;
  std::map<std::string, double> rates;
  // SHA-256 over the canonical sources (every file's path and bytes, in load order), hex.
  std::string digest;

  std::optional<stdlib::FieldId> find_field(std::string_view path) const;
};

}  // namespace tusk::compiler::front
