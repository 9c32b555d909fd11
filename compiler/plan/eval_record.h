// What both backends read about one record while evaluating conditions. The layout is plain
// C so that JIT-compiled code can load from it directly; the runtime fills it per record.
// Anything that needs the record's text (hit positions, weights) goes through HostTable,
// whose functions the runtime implements and registers for both backends.
#pragma once

#include <cstdint>

#include "stdlib/fields.h"

namespace tusk::compiler {

struct EvalRecord {
  stdlib::FieldMask present = 0;              // bit f: field f is in the record (not null)
  const double* numbers = nullptr;    // [field] value of a number or money field; NaN if absent
  const std::int32_t* currencies = nullptr;  // [field] currency index of a money field; -1 unknown
  const stdlib::FieldMask* slot_fields = nullptr;    // [slot] fields in which the slot has at least one hit
  const void* host = nullptr;         // the runtime's per-record state, passed to HostTable calls
};

// Host functions shared by the interpreter and the JIT (the JIT binds them by the symbol names
// in stdlib/functions.h). All are pure over one record.
struct HostTable {
  // The text of `field` equals one of the strings of plan string set `set` (case-insensitive).
  bool (*text_in_set)(const void* host, std::uint32_t field, std::uint32_t set);
  // Two text fields are equal (case-insensitive).
  bool (*text_fields_eq)(const void* host, std::uint32_t field_a, std::uint32_t field_b);
  double (*count)(const void* host, stdlib::FieldMask scope, std::uint32_t slot);
  bool (*near)(const void* host, stdlib::FieldMask scope, std::uint32_t slot_a, std::uint32_t slot_b, double words);
  double (*weight_kg)(const void* host, stdlib::FieldMask scope);  // NaN when no weight is written
  double (*len)(const void* host, stdlib::FieldMask scope);
};

}  // namespace tusk::compiler
