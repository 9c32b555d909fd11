#include <cmath>

#include "base/json_text.h"
#include "tusk/verdict.h"

namespace tusk {

const char* to_string(AccountAction action) {
  switch (action) {
    case AccountAction::kNone:
      return "none";
    case AccountAction::kWatch:
      return "watch";
    case AccountAction::kSuspend:
      return "suspend";
  }
  return "?";
}

const char* to_string(Action action) {
  switch (action) {
    case Action::kAllow:
      return "allow";
    case Action::kReview:
      return "review";
    case Action::kBlock:
      return "block";
  }
  return "allow";
}

namespace {

void append_strings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    base::append_json_string(out, items[i]);
  }
  out += ']';
}

// The tags, suggestions and message of a verdict that has any.
void append_outcome(std::string& out, const Verdict& v) {
  out += R"(],"tags":)";
  append_strings(out, v.tags);
  out += R"(,"suggestions":[)";
  for (std::size_t i = 0; i < v.suggestions.size(); ++i) {
    const Suggestion& s = v.suggestions[i];
    if (i) out += ',';
    out += R"({"name":)";
    base::append_json_string(out, s.name);
    out += R"(,"lang":)";
    base::append_json_string(out, s.lang);
    out += R"(,"text":)";
    base::append_json_string(out, s.text);
    out += '}';
  }
  out += R"(],"message":)";
  base::append_json_string(out, v.message);
}

// The pack's part of the line is the same for every verdict a thread writes with one pack: it
// is escaped once and kept, keyed by the strings themselves (three comparisons cost less than
// escaping the 64-character digest again; ~600 instructions a listing, docs/performance.md).
void append_pack(std::string& out, const PackInfo& pack) {
  struct Rendered {
    PackInfo pack;
    std::string json;
  };
  thread_local Rendered last;
  if (last.json.empty() || last.pack.digest != pack.digest || last.pack.name != pack.name ||
      last.pack.version != pack.version) {
    last.pack = pack;
    last.json = R"(,"pack":{"name":)";
    base::append_json_string(last.json, pack.name);
    last.json += R"(,"version":)";
    base::append_json_string(last.json, pack.version);
    last.json += R"(,"digest":)";
    base::append_json_string(last.json, pack.digest);
    last.json += "}}";
  }
  out += last.json;
}

}  // namespace

std::string to_json(const Verdict& v) {
  std::string out;
  out.reserve(256);
  append_json(out, v);
  return out;
}

// Written into `out`, which the caller reuses: no temporary string per verdict or per number.
void append_json(std::string& out, const Verdict& v) {
  if (!v.ok) {
    out += R"({"line":)";
    base::append_json_number(out, v.line);
    out += R"(,"error":)";
    base::append_json_string(out, v.error);
    if (!v.id.empty()) {
      out += R"(,"id":)";
      base::append_json_string(out, v.id);
    }
    out += '}';
    return;
  }
  out += R"({"id":)";
  base::append_json_string(out, v.id);
  // Literal appends and base::append_json_number rather than fmt::format_to: parsing a format
  // string per number was 40% of the output's cost (docs/performance.md).
  out += R"(,"action":")";
  out += to_string(v.action);
  out += R"(","score":)";
  base::append_json_number(out, v.score);
  out += R"(,"fired":[)";
  for (std::size_t i = 0; i < v.fired.size(); ++i) {
    const FiredRule& r = v.fired[i];
    if (i) out += ',';
    out += R"({"rule":)";
    base::append_json_string(out, r.rule);
    out += R"(,"score":)";
    base::append_json_number(out, r.score);
    out += R"(,"reason":)";
    base::append_json_string(out, r.reason);
    out += R"(,"evidence":[)";
    for (std::size_t k = 0; k < r.evidence.size(); ++k) {
      const Evidence& e = r.evidence[k];
      if (k) out += ',';
      out += R"({"field":)";
      base::append_json_string(out, e.field);
      out += R"(,"start":)";
      base::append_json_number(out, std::uint64_t{e.start});
      out += R"(,"end":)";
      base::append_json_number(out, std::uint64_t{e.end});
      out += R"(,"text":)";
      base::append_json_string(out, e.text);
      out += R"(,"lexicon":)";
      base::append_json_string(out, e.lexicon);
      out += R"(,"term":)";
      base::append_json_string(out, e.term);
      out += '}';
    }
    out += "]}";
  }
  if (v.tags.empty() && v.suggestions.empty() && v.message.empty()) {
    // Most listings: nothing fired, so nothing below is written item by item.
    out += R"(],"tags":[],"suggestions":[],"message":"")";
  } else {
    append_outcome(out, v);
  }
  if (!v.notes.empty()) {
    out += R"(,"notes":)";
    append_strings(out, v.notes);
  }
  if (v.account.present) {
    out += R"(,"account":{"entity":)";
    base::append_json_string(out, v.account.entity);
    out += R"(,"id":)";
    if (v.account.id.empty()) {
      out += "null";
    } else {
      base::append_json_string(out, v.account.id);
    }
    out += R"(,"action":")";
    out += to_string(v.account.action);
    out += R"(","reasons":)";
    append_strings(out, v.account.reasons);
    out += R"(,"state":{)";
    for (std::size_t i = 0; i < v.account.state.size(); ++i) {
      if (i) out += ',';
      base::append_json_string(out, v.account.state[i].name);
      const double x = v.account.state[i].value;
      if (std::isnan(x)) {
        out += ":null";
      } else {
        out += ':';
        base::append_json_number(out, x);
      }
    }
    out += "}}";
  }
  append_pack(out, v.pack);
}

}  // namespace tusk
