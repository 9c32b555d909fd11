// The backend-neutral plan of a checked pack: what the runtime must read, normalize and scan,
// and the rules' conditions as a small IR. The reference interpreter (interpreter.h) and the
// LLVM backend both consume exactly this; `tusk check --dump plan` prints it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/plan/eval_record.h"
#include "stdlib/fields.h"
#include "stdlib/language.h"

namespace tusk::compiler::plan {

// A slot is one lexicon or regex of the pack: the unit of match bookkeeping.
// Lexicons take slots [0, lexicon_count), regexes follow.
using SlotId = std::uint32_t;

struct SlotTerm {
  std::string text;  // as written; the runtime normalizes it with the slot's profile
  bool prefix = false;
  int edit_distance = 0;
  std::string lang;
  double weight = 1.0;
};

struct Slot {
  std::string name;
  bool is_regex = false;
  std::string profile;           // normalization profile of the text this slot is matched in
  std::vector<SlotTerm> terms;   // lexicons
  std::string pattern, flags;    // regexes
  stdlib::FieldMask fields = 0;  // fields this slot must be searched in
};

// One pass: normalize each field of `fields` with `profile`, then scan it once with a single
// database holding every pattern of `slots`.
struct ScanPass {
  std::string profile;
  stdlib::FieldMask fields = 0;
  std::vector<SlotId> slots;
};

// ------------------------------------------------------------------ condition IR

// Nodes live in one array (Plan::nodes) and refer to children by index; And/Or children are
// a range of Plan::kids. Every node is pure: evaluation order never changes a result, which is
// what lets the planner put cheap tests first.
enum class Op : std::uint8_t {
  kConstBool,     // num != 0
  kConstNum,      // num
  kNumField,      // field value (NaN when absent)
  kHas,           // field present: has(field), tested inline (stdlib/builtins/has.cpp says why)
  kTextInSet,     // text of field `field` in string set `index` (case-insensitive)
  kTextFieldsEq,  // text of field `field` == text of field `index`
  kHit,           // slot `index` has a hit in a field of `mask` (mentions / matches)
  kCall,          // built-in function `fn` (stdlib/functions.h): scope `mask`, slots `index` and
                  // `index2`, field `field`, value operand `a`, constant `num`; a money result keeps
                  // the currency of `a`
  kRule,          // rule `index` fired
  kScore,         // the listing's score (decide only)
  kNot,           // !a
  kAnd,           // all of kids[first, first+count)
  kOr,            // any of kids[first, first+count)
  kCmp,           // a <cmp> b on numbers; false if either is NaN
  kArith,         // a <arith> b
  kNeg,           // -a
  kMoneyField,    // money: amount = field value, currency = record currency of `field`
  kConvert,       // number: money a converted to currency `index`; NaN if its currency is unknown
  kState,         // account state read `index` (Plan::state_reads): EvalRecord::state[index]
  kAction,        // the listing's decided action as a number (stdlib::Action); post-decide only
};
const char* to_string(Op op);

struct Node {
  Op op = Op::kConstBool;
  std::uint8_t sub = 0;  // stdlib::CmpOp or stdlib::ArithOp
  std::uint16_t fn = 0;  // kCall: stdlib::FunctionId
  std::uint32_t a = 0;   // first operand node
  std::uint32_t b = 0;   // second operand node
  std::uint32_t field = 0;
  std::uint32_t index = 0;             // slot, rule, string set, currency
  std::uint32_t index2 = 0;            // second slot of a kCall
  std::uint32_t first = 0, count = 0;  // kAnd/kOr children in Plan::kids
  stdlib::FieldMask mask = 0;
  double num = 0;
  std::uint16_t cost = 0;  // planner's estimate, cheap first
};
using NodeId = std::uint32_t;

// A reason or message template lowered to slots and fields.
struct PlanTemplatePart {
  stdlib::TemplateKind kind = stdlib::TemplateKind::kLiteral;
  std::string literal;
  SlotId slot = 0;
  stdlib::FieldId field = 0;
};
struct PlanTemplate {
  std::vector<PlanTemplatePart> parts;
  bool empty() const { return parts.empty(); }
};

// Where a fired rule's evidence comes from: the hits of these slots in these fields
// (every mention/match/near/count of the condition that is not under a `not`).
struct EvidenceSource {
  SlotId slot;
  stdlib::FieldMask fields;
};

struct PlanRule {
  std::string name;
  NodeId when = 0;
  double score = 0;
  PlanTemplate reason;
  PlanTemplate message;
  std::vector<std::string> tags;
  std::vector<EvidenceSource> evidence;
};

struct PlanBranch {
  stdlib::Action action = stdlib::Action::kAllow;
  bool otherwise = false;
  NodeId when = 0;
  PlanTemplate message;
};

struct PlanSuggestion {
  std::string name;                                        // alternative name, or "" for inline text
  std::vector<std::pair<std::string, std::string>> texts;  // (lang, text)
  NodeId when = 0;
};

// ------------------------------------------------------------------ accounts (docs/accounts.md)

struct PlanEntity {
  std::string name;
  stdlib::FieldId field = 0;  // a text field: the entity's id
};

// A windowed counter kept in buckets of `bucket_seconds` (window / 60, rounded up, at least 1).
// It counts a listing when `when` holds after decide (a constant true for `every listing`);
// a distinct counter counts the values of `distinct_field` seen within the window instead.
struct PlanCounter {
  std::string name;
  std::uint32_t entity = 0;
  bool every = false;
  bool distinct = false;
  stdlib::FieldId distinct_field = 0;
  NodeId when = 0;
  std::int64_t window_seconds = 0;
  std::int64_t bucket_seconds = 1;
};

struct PlanLabel {
  std::uint32_t entity = 0;
  std::string name;
  std::int64_t lifetime_seconds = 0;
  NodeId when = 0;
};

struct PlanAccountBranch {
  stdlib::AccountAction action = stdlib::AccountAction::kNone;
  bool otherwise = false;
  NodeId when = 0;
};

// What Op::kState `index` reads: a counter's value, or 1/0 for a label's presence.
struct PlanStateRead {
  bool is_label = false;
  std::uint32_t entity = 0;
  std::uint32_t counter = 0;
  std::string label;
};

struct Plan {
  std::string name, version, digest;
  std::vector<stdlib::Field> fields;  // the schema; stdlib::FieldId indexes it
  stdlib::FieldMask fields_read = 0;  // fields the runtime must materialize
  stdlib::FieldMask text_fields = 0;  // fields read as text (scanned or compared)
  std::vector<Slot> slots;
  std::uint32_t lexicon_count = 0;
  std::vector<ScanPass> passes;

  std::vector<Node> nodes;
  std::vector<NodeId> kids;
  std::vector<std::vector<std::string>> string_sets;  // lower-cased
  std::vector<std::string> currencies;                // index = currency id
  std::vector<double> rate_to_base;                   // per currency id
  std::string base_currency, rates_as_of;
  bool uses_money = false;

  std::vector<PlanRule> rules;  // dependencies first
  std::vector<PlanBranch> decide;
  std::vector<PlanSuggestion> suggestions;

  // Accounts. Effects of a listing, evaluated after decide by both backends: one bit per
  // counter (counted), then one per label (set) — EvalResult::effects.
  std::vector<PlanEntity> entities;
  std::vector<PlanCounter> counters;
  std::vector<PlanLabel> labels;
  bool has_account = false;
  std::uint32_t account_entity = 0;
  std::vector<PlanAccountBranch> account;
  std::vector<PlanStateRead> state_reads;
  // Whether the pack reads or writes account state at all: a stateless pack pays nothing.
  bool stateful() const {
    return !counters.empty() || !labels.empty() || has_account || !state_reads.empty();
  }

  std::int32_t currency_index(std::string_view code) const;  // -1 when unknown
};

// Text form for `tusk check --dump plan` and the `.plan` goldens.
std::string dump_plan(const Plan& plan);
// One node as text with its operands written out in full (as in dump_plan).
std::string node_text(const Plan& plan, NodeId node);
// The node's own operation, without operands, for trees where operands are shown below it:
// "and", "not", "hit ivory_names in {title, description}", "cmp >=".
std::string node_label(const Plan& plan, NodeId node);
// A state read as the language writes it: `count(blocked_30d)`, `seller has label "x"`.
std::string state_text(const Plan& plan, std::size_t read);
// Operand nodes of a node, in evaluation order.
std::vector<NodeId> node_operands(const Plan& plan, NodeId node);

}  // namespace tusk::compiler::plan
