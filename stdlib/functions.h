// The language's built-in functions: a registry of declarations with stable ids (cel's
// StandardOverloadIds, Gandiva's registry). Each built-in is ONE file, stdlib/builtins/<name>.cpp,
// holding its declaration (name, parameters, result, purity, planner cost, doc) and its
// implementation, written against the small host interface RecordView below. The checker types
// calls from the declarations; the planner lowers every call to one generic plan node
// (compiler::Op::kCall); the interpreter calls `impl` through this registry and the JIT calls
// the same function by its C symbol, bound with absoluteSymbols. docs/stdlib.md documents them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "stdlib/fields.h"

namespace tusk::stdlib {

// A built-in's id: its position in the registry, fixed by the `id` its file declares.
enum class FunctionId : std::uint16_t {};

// What each parameter is: resolved names (scope, lexicon, regex, field) or a value.
enum class Param : std::uint8_t { kScope, kLexicon, kLexiconOrRegex, kField, kNumber, kMoney, kWithin };
enum class Result : std::uint8_t { kBool, kNumber, kMoney };

// One occurrence of a lexicon or regex (a "slot" of the plan) in a field of the record, with its
// byte span in the field's original text. The runtime's hit list is a vector of these.
struct SlotHit {
  std::uint32_t slot;
  std::uint32_t term;
  FieldId field;
  std::uint32_t pass;
  std::uint32_t norm_start, norm_end;  // in the scan pass's normalized text of the field
  std::uint32_t start, end;            // in the original text of the field
};

// What built-ins may read about the record being evaluated. runtime::Pipeline implements it;
// tests implement it over a hand-written record.
class RecordView {
 public:
  virtual ~RecordView() = default;
  // Fields of the pack's schema (FieldId < field_count()).
  virtual std::uint32_t field_count() const = 0;
  // The field is in the record (not null).
  virtual bool present(FieldId field) const = 0;
  // The field's original text ("" when absent or not text).
  virtual std::string_view text(FieldId field) const = 0;
  // Every hit of the record, sorted by field, then start, then slot.
  virtual std::span<const SlotHit> slot_hits() const = 0;
  // The words a byte span of one field's text overlaps, numbered from 0: [first, end). A span
  // covering no word character is empty (first == end) and sits before word `first`. Words
  // strictly between two spans x, y with x.first <= y.first: y.first - x.end when positive,
  // else 0 (for "ivory" and "bangle" in "ivory carved bangle" it is 1).
  struct WordSpan {
    std::uint32_t first, end;
  };
  virtual WordSpan word_span(FieldId field, std::uint32_t start, std::uint32_t end) const = 0;
  // Charges `units` of the listing's work budget (tusk::Limits::work_budget) for work a
  // built-in is about to do: one unit per hit or byte it visits. False once the budget is
  // spent: the built-in then stops and returns anything, since the verdict will not use it.
  virtual bool charge(std::uint64_t units) const {
    (void)units;
    return true;
  }
  // The hits of `slot` in `field` (those slot_hits() lists). The runtime keeps the counts as it
  // collects the hits, so count() costs a lookup per field of its scope; this default counts.
  virtual std::uint32_t hit_count(std::uint32_t slot, FieldId field) const {
    std::uint32_t n = 0;
    for (const SlotHit& h : slot_hits()) n += h.slot == slot && h.field == field ? 1 : 0;
    return n;
  }
  // Bit t of `bits`: term t of lexicon `slot` has a hit in `field`. False when the view keeps
  // no such bits for the slot (a regex, a lexicon of more than kTermBitsMax terms, or a view
  // that keeps none): count_distinct() then walks the hits.
  virtual bool term_bits(std::uint32_t slot, FieldId field, std::uint64_t& bits) const {
    (void)slot, (void)field, (void)bits;
    return false;
  }
};

// The most terms a lexicon may have for its hits to be kept as term bits (one 64-bit word).
inline constexpr std::size_t kTermBitsMax = 64;

inline bool in_scope(FieldMask scope, FieldId field) { return (scope >> field) & 1u; }

// The arguments of one call, laid out as plain C so that JIT-compiled code fills it on its stack.
// Slots come in the order of the lexicon/regex parameters, values (numbers, money amounts) in
// the order of the value parameters, then the `within` distance in `constant`.
inline constexpr std::uint32_t kMaxCallSlots = 2;
inline constexpr std::uint32_t kMaxCallValues = 1;
struct CallArgs {
  const RecordView* record;            // offset 0
  FieldMask scope;                     // offset 8: fields of the scope parameter (0 without one)
  std::uint32_t slots[kMaxCallSlots];  // offset 16
  FieldId field;                       // offset 24: the field parameter (has)
  std::uint32_t pad_;                  // offset 28
  double values[kMaxCallValues];       // offset 32
  double constant;                     // offset 40: the `within N words` distance
};
static_assert(sizeof(CallArgs) == 48);

// A built-in's C-ABI entry: a boolean result is 0 or 1, a missing number is NaN, and a money
// result is an amount in the currency of the call's money argument.
using BuiltinImpl = double (*)(const CallArgs* args);

// A built-in whose result is a sum over its scope's fields of one of the per-record arrays of
// plan::EvalRecord: the JIT emits those loads instead of the call (the interpreter calls `impl`,
// which must compute the same sum through RecordView).
enum class RecordArray : std::uint8_t {
  kNone,
  kHitCount,    // sum of EvalRecord::hit_counts[slots[0] * fields + f] (RecordView::hit_count)
  kTextLength,  // sum of EvalRecord::text_lengths[f] (RecordView::text(f).size())
  // bits set in the OR of EvalRecord::term_bits[slots[0] * fields + f], for a lexicon of at most
  // kTermBitsMax terms; the call otherwise (RecordView::term_bits)
  kTermBits,
};

struct FunctionDecl {
  std::uint16_t id;  // stable: registry position, plan nodes and JIT cache keys use it
  std::string_view name;
  std::vector<Param> params;
  Result result;
  bool pure;                // same inputs, same output: may be reordered and evaluated once
  std::uint16_t cost;       // planner's estimate of the call alone (operands are added), cheap first
  std::string_view doc;     // one line for docs/stdlib.md and the "write `...`" hints
  BuiltinImpl impl;         // the interpreter calls it; the JIT binds `symbol` to it
  std::string_view symbol;  // "tusk_fn_<name>"
  // How `tusk check --dump plan` and `tusk explain` print a call (fmt named arguments):
  // {scope} {field} {slot0} {slot0_name} {slot1} {slot1_name} {value0} {constant}.
  std::string_view dump;
  std::string_view label = {};  // explain's tree label when the operands are shown below; "" = dump
  // Lowering hints. `all_slots_hit`: the call is false unless every slot has a hit in the scope,
  // so the planner guards it with those (cheap) hit tests. `field_presence`: the call is the
  // presence bit of its field, which the plan tests inline (see stdlib/builtins/has.cpp).
  bool all_slots_hit = false;
  bool field_presence = false;
  RecordArray record_array = RecordArray::kNone;
};

const std::vector<FunctionDecl>& functions();
const FunctionDecl* find_function(std::string_view name);
const FunctionDecl& function(FunctionId id);

}  // namespace tusk::stdlib
