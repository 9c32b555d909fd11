// What both backends read about one record while evaluating conditions. The layout is plain
// C so that JIT-compiled code can load from it directly; the runtime fills it per record.
// Built-in functions read the record through `host`, a stdlib::RecordView (stdlib/functions.h);
// the text comparisons of the IR go through HostTable, whose functions the runtime implements
// and registers for both backends.
#pragma once

#include <cstdint>

#include "stdlib/fields.h"

namespace tusk::compiler::plan {

struct EvalRecord {
  stdlib::FieldMask present = 0;                   // bit f: field f is in the record (not null)
  const double* numbers = nullptr;                 // [field] value of a number or money field; NaN if absent
  const std::int32_t* currencies = nullptr;        // [field] currency index of a money field; -1 unknown
  const stdlib::FieldMask* slot_fields = nullptr;  // [slot] fields in which the slot has at least one hit
  const void* host = nullptr;  // a const stdlib::RecordView*: passed to built-ins and HostTable calls
  // [Plan::state_reads] account state as it was before this record: a counter's value (NaN
  // when the record has no entity id), a label's presence as 1/0. Null for a stateless plan.
  const double* state = nullptr;
  // What count() and len() compute, as arrays the JIT loads from instead of calling them
  // (stdlib::FunctionDecl::record_array): [slot * fields + field] the hits of the slot kept in
  // the field (stdlib::RecordView::hit_count), [field] the bytes of the field's text. The
  // runtime fills them for every record; the interpreter calls the built-ins, which read the
  // same numbers through `host`.
  const std::uint32_t* hit_counts = nullptr;
  const std::uint32_t* text_lengths = nullptr;
  // [slot * fields + field] bit t: term t of the slot's lexicon has a hit in the field, for a
  // lexicon of at most 64 terms (stdlib::kTermBitsMax), what count_distinct() counts.
  const std::uint64_t* term_bits = nullptr;
};

// Host functions of the IR's text comparisons, shared by the interpreter and the JIT (which binds
// them as tusk_host_*). Both are pure over one record. Built-in functions are not here: they
// live in stdlib/builtins/ and are called through the registry.
struct HostTable {
  // The text of `field` equals one of the strings of plan string set `set` (case-insensitive).
  bool (*text_in_set)(const void* host, std::uint32_t field, std::uint32_t set);
  // Two text fields are equal (case-insensitive).
  bool (*text_fields_eq)(const void* host, std::uint32_t field_a, std::uint32_t field_b);
};

}  // namespace tusk::compiler::plan
