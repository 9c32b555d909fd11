// The language's small closed vocabularies, written once for every stage: decide actions,
// comparison and arithmetic operators, and the placeholders of `reason`/`message` templates.
#pragma once

namespace tusk::stdlib {

// What `decide` concludes for a listing, weakest first.
enum class Action { kAllow, kReview, kBlock };
const char* to_string(Action a);

// What `decide account of ENTITY` concludes for the entity of a listing, weakest first
// (docs/accounts.md): nothing, keep an eye on it, suspend it.
enum class AccountAction { kNone, kWatch, kSuspend };
const char* to_string(AccountAction a);

// Units of a counter's window or a label's lifetime, in seconds; 0 for a word that is none.
long long window_unit_seconds(const char* unit);
// The longest window or lifetime the language accepts: 400 days.
inline constexpr long long kMaxWindowSeconds = 400LL * 24 * 3600;

enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };
enum class ArithOp { kAdd, kSub, kMul, kDiv };

// A piece of a `reason` or `message` template: literal text, or a placeholder
// `{hits(lexicon)}`, `{first(lexicon_or_regex)}`, `{count(lexicon_or_regex)}`, `{field}`, `{score}`.
enum class TemplateKind { kLiteral, kHits, kFirst, kCount, kField, kScore };

}  // namespace tusk::stdlib
