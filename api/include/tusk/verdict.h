// A verdict: what the pack decided about one listing, and why. Plain data; no third-party
// types. `to_json` renders the documented output format (docs/architecture.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tusk {

enum class Action { kAllow, kReview, kBlock };
const char* to_string(Action action);

// Where a rule's words were found: byte offsets into the ORIGINAL UTF-8 of the field as it
// was given in the record (not the normalized text), so a reviewer can highlight them.
struct Evidence {
  std::string field;  // "title", "description", "tags", "seller.description", ...
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::string text;     // the original bytes at [start, end)
  std::string lexicon;  // lexicon or regex name
  std::string term;     // the term as written in the pack (empty for a regex)
};

struct FiredRule {
  std::string rule;
  double score = 0;
  std::string reason;  // the rendered `reason` template; empty when the rule has none
  std::vector<Evidence> evidence;
};

struct Suggestion {
  std::string name;  // alternative name, e.g. "std.alternatives.tagua_carving"; empty for inline text
  std::string lang;
  std::string text;
};

// What `decide account` concluded about the entity of a listing (docs/accounts.md), weakest
// first.
enum class AccountAction { kNone, kWatch, kSuspend };
const char* to_string(AccountAction action);

// One value of account state as the listing's conditions saw it (before the listing's own
// effects): `count(blocked_30d)` = 2, `seller has label "wildlife_offender"` = 1.
struct StateValue {
  std::string name;
  double value = 0;  // NaN: the listing has no id for the entity
};

struct AccountVerdict {
  bool present = false;  // the pack has `decide account`; false leaves the JSON as it was
  std::string entity;    // "seller"
  std::string id;        // the entity's id in this listing; empty when it has none
  AccountAction action = AccountAction::kNone;
  // The taken branch's condition, one entry per part of a top-level `and` (all of them held),
  // or "otherwise".
  std::vector<std::string> reasons;
  std::vector<StateValue> state;  // every state value the pack's conditions read
};

struct PackInfo {
  std::string name;
  std::string version;
  std::string digest;  // SHA-256 of the pack's canonical sources
};

struct Verdict {
  // A record that could not be read gets an error verdict in its place: `ok` is false,
  // `error` says what was wrong, and nothing else is meaningful.
  bool ok = true;
  std::string error;
  std::uint64_t line = 0;  // 1-based input line, when scanning a stream

  std::string id;
  Action action = Action::kAllow;
  double score = 0;
  std::vector<FiredRule> fired;
  std::vector<std::string> tags;
  std::vector<Suggestion> suggestions;
  std::string message;             // the user-facing text for the action, if the pack gives one
  std::vector<std::string> notes;  // e.g. an unknown currency made money comparisons false
  AccountVerdict account;          // rendered as "account" only when the pack has `decide account`
  PackInfo pack;
};

// One line of JSON, no trailing newline.
std::string to_json(const Verdict& verdict);
// The same, appended to `out` (a batch writer reuses one buffer for many verdicts).
void append_json(std::string& out, const Verdict& verdict);

}  // namespace tusk
