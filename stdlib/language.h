// The language's small closed vocabularies, written once for every stage: decide actions,
// comparison and arithmetic operators, and the placeholders of `reason`/`message` templates.
#pragma once

namespace tusk::stdlib {

// What `decide` concludes for a listing, weakest first.
enum class Action { kAllow, kReview, kBlock };
const char* to_string(Action a);

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class ArithOp { kAdd, kSub, kMul, kDiv };

// A piece of a `reason` or `message` template: literal text, or a placeholder
// `{hits(lexicon)}`, `{first(lexicon_or_regex)}`, `{count(lexicon_or_regex)}`, `{field}`, `{score}`.
enum class TemplateKind { kLiteral, kHits, kFirst, kCount, kField, kScore };

}  // namespace tusk::stdlib
