#include "tools/coverage.h"

#include <fmt/format.h>

#include "api/inspect.h"
#include "base/json_text.h"

namespace tusk::tools {

Coverage::Coverage(const compiler::plan::Plan& plan)
    : plan_(&plan),
      fired_(plan.rules.size(), 0),
      not_fired_(plan.rules.size(), 0),
      branch_(plan.decide.size(), 0),
      account_branch_(plan.account.size(), 0),
      suggested_(plan.suggestions.size(), 0),
      term_(plan.lexicon_count) {
  for (std::uint32_t s = 0; s < plan.lexicon_count; ++s) term_[s].assign(plan.slots[s].terms.size(), 0);
}

void Coverage::add(const compiler::plan::EvalResult& result, const std::vector<Hit>& hits) {
  if (!plan_) return;
  for (std::size_t r = 0; r < fired_.size(); ++r) ++(result.fired[r] ? fired_[r] : not_fired_[r]);
  if (result.branch >= 0 && static_cast<std::size_t>(result.branch) < branch_.size()) {
    ++branch_[result.branch];
  }
  if (result.account_branch >= 0 &&
      static_cast<std::size_t>(result.account_branch) < account_branch_.size()) {
    ++account_branch_[result.account_branch];
  }
  for (std::size_t g = 0; g < suggested_.size() && g < result.suggested.size(); ++g) {
    suggested_[g] += result.suggested[g];
  }
  for (const auto& h : hits) {
    if (h.slot < term_.size() && h.term < term_[h.slot].size()) ++term_[h.slot][h.term];
  }
}

double Coverage::Summary::percent() const {
  // Account branches count like decide branches (a stateless pack has none).
  const std::size_t total = 2 * rules + branches + account_branches + suggestions;
  const std::size_t covered =
      rules_fired + rules_not_fired + branches_taken + account_branches_taken + suggestions_given;
  return total == 0 ? 100.0 : 100.0 * static_cast<double>(covered) / total;
}

double Coverage::Summary::term_percent() const {
  return terms == 0 ? 100.0 : 100.0 * static_cast<double>(terms_matched) / terms;
}

Coverage::Summary Coverage::summary() const {
  Summary s;
  s.rules = fired_.size();
  for (std::size_t r = 0; r < fired_.size(); ++r) {
    s.rules_fired += fired_[r] > 0;
    s.rules_not_fired += not_fired_[r] > 0;
  }
  s.branches = branch_.size();
  for (auto n : branch_) s.branches_taken += n > 0;
  s.account_branches = account_branch_.size();
  for (auto n : account_branch_) s.account_branches_taken += n > 0;
  s.suggestions = suggested_.size();
  for (auto n : suggested_) s.suggestions_given += n > 0;
  for (const auto& terms : term_) {
    s.terms += terms.size();
    for (auto n : terms) s.terms_matched += n > 0;
  }
  return s;
}

namespace {

std::string account_branch_text(const compiler::plan::Plan& plan, std::size_t b) {
  const auto& br = plan.account[b];
  return fmt::format(
      "account {} {}", stdlib::to_string(br.action),
      br.otherwise ? std::string("otherwise") : "when " + compiler::plan::node_text(plan, br.when));
}

std::string branch_text(const compiler::plan::Plan& plan, std::size_t b) {
  const auto& br = plan.decide[b];
  return br.otherwise ? fmt::format("{} otherwise", stdlib::to_string(br.action))
                      : fmt::format("{} when {}", stdlib::to_string(br.action),
                                    compiler::plan::node_text(plan, br.when));
}

// `std.alternatives.tagua_carving when mentions_ivory`, or the text of an inline suggestion.
std::string suggestion_text(const compiler::plan::Plan& plan, std::size_t g) {
  const auto& sg = plan.suggestions[g];
  const std::string when = compiler::plan::node_text(plan, sg.when);
  if (!sg.name.empty()) return fmt::format("{} when {}", sg.name, when);
  return fmt::format("\"{}\" when {}", sg.texts.empty() ? std::string() : sg.texts.front().second, when);
}

std::string term_text(const compiler::plan::SlotTerm& t) {
  std::string s = t.text + (t.prefix ? "*" : "");
  if (t.edit_distance > 0) s += fmt::format("~{}", t.edit_distance);
  return s;
}

}  // namespace

std::string Coverage::text(std::size_t max_terms) const {
  if (!plan_) return "";
  const compiler::plan::Plan& plan = *plan_;
  const Summary s = summary();
  std::string out;
  out += fmt::format("coverage: {:.1f}% of rule outcomes, decide branches and suggestions\n", s.percent());
  out += fmt::format("  rules fired by some test:       {}/{}\n", s.rules_fired, s.rules);
  out += fmt::format("  rules seen not firing:          {}/{}\n", s.rules_not_fired, s.rules);
  out += fmt::format("  decide branches taken:          {}/{}\n", s.branches_taken, s.branches);
  if (plan.has_account) {
    out += fmt::format("  account branches taken:         {}/{}\n", s.account_branches_taken,
                       s.account_branches);
  }
  out += fmt::format("  suggestions given:              {}/{}\n", s.suggestions_given, s.suggestions);
  out += fmt::format("  lexicon terms matched:          {}/{} ({:.1f}%)\n", s.terms_matched, s.terms,
                     s.term_percent());
  auto list = [&](const char* title, const std::vector<std::uint32_t>& counts) {
    std::string names;
    std::size_t n = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      if (counts[r] == 0) names += fmt::format("    {}\n", plan.rules[r].name), ++n;
    }
    if (n) out += fmt::format("{} ({}):\n{}", title, n, names);
  };
  list("rules never fired by a test", fired_);
  list("rules never seen not firing", not_fired_);
  std::string branches;
  for (std::size_t b = 0; b < branch_.size(); ++b) {
    if (branch_[b] == 0) branches += fmt::format("    {}\n", branch_text(plan, b));
  }
  if (!branches.empty()) out += "decide branches never taken:\n" + branches;
  std::string account;
  for (std::size_t b = 0; b < account_branch_.size(); ++b) {
    if (account_branch_[b] == 0) account += fmt::format("    {}\n", account_branch_text(plan, b));
  }
  if (!account.empty()) out += "account branches never taken:\n" + account;
  std::string suggestions;
  for (std::size_t g = 0; g < suggested_.size(); ++g) {
    if (suggested_[g] == 0) suggestions += fmt::format("    {}\n", suggestion_text(plan, g));
  }
  if (!suggestions.empty()) out += "suggestions never given:\n" + suggestions;
  std::string terms;
  for (std::size_t l = 0; l < term_.size(); ++l) {
    std::vector<std::string> missed;
    for (std::size_t t = 0; t < term_[l].size(); ++t) {
      if (term_[l][t] == 0) missed.push_back(term_text(plan.slots[l].terms[t]));
    }
    if (missed.empty()) continue;
    std::string shown;
    const std::size_t show = max_terms == 0 ? missed.size() : std::min(max_terms, missed.size());
    for (std::size_t i = 0; i < show; ++i) shown += fmt::format("{}\"{}\"", i ? ", " : "", missed[i]);
    if (show < missed.size()) shown += fmt::format(", ... ({} more)", missed.size() - show);
    terms += fmt::format("    {} ({}/{} unmatched): {}\n", plan.slots[l].name, missed.size(), term_[l].size(),
                         shown);
  }
  if (!terms.empty()) out += "lexicon terms never matched:\n" + terms;
  return out;
}

std::string Coverage::json() const {
  if (!plan_) return "{}";
  const compiler::plan::Plan& plan = *plan_;
  const Summary s = summary();
  std::string out = fmt::format(
      "{{\"percent\":{:.2f},\"rules\":{},\"rules_fired\":{},\"rules_not_fired\":{},\"branches\":{},"
      "\"branches_taken\":{},\"suggestions\":{},\"suggestions_given\":{},\"terms\":{},\"terms_matched\":{},"
      "\"term_percent\":{:.2f}",
      s.percent(), s.rules, s.rules_fired, s.rules_not_fired, s.branches, s.branches_taken, s.suggestions,
      s.suggestions_given, s.terms, s.terms_matched, s.term_percent());
  auto names = [&](const char* key, const std::vector<std::uint32_t>& counts) {
    out += fmt::format(",\"{}\":[", key);
    bool first = true;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      if (counts[r] != 0) continue;
      if (!first) out += ',';
      first = false;
      base::append_json_string(out, plan.rules[r].name);
    }
    out += ']';
  };
  names("never_fired", fired_);
  names("never_not_fired", not_fired_);
  out += ",\"branches_never_taken\":[";
  bool first = true;
  for (std::size_t b = 0; b < branch_.size(); ++b) {
    if (branch_[b] != 0) continue;
    if (!first) out += ',';
    first = false;
    base::append_json_string(out, branch_text(plan, b));
  }
  if (plan.has_account) {
    out += fmt::format(
        "],\"account_branches\":{},\"account_branches_taken\":{},\"account_branches_never_taken\":[",
        s.account_branches, s.account_branches_taken);
    first = true;
    for (std::size_t b = 0; b < account_branch_.size(); ++b) {
      if (account_branch_[b] != 0) continue;
      if (!first) out += ',';
      first = false;
      base::append_json_string(out, account_branch_text(plan, b));
    }
  }
  out += "],\"suggestions_never_given\":[";
  first = true;
  for (std::size_t g = 0; g < suggested_.size(); ++g) {
    if (suggested_[g] != 0) continue;
    if (!first) out += ',';
    first = false;
    base::append_json_string(out, suggestion_text(plan, g));
  }
  out += "],\"terms_never_matched\":{";
  first = true;
  for (std::size_t l = 0; l < term_.size(); ++l) {
    std::string list;
    for (std::size_t t = 0; t < term_[l].size(); ++t) {
      if (term_[l][t] != 0) continue;
      if (!list.empty()) list += ',';
      base::append_json_string(list, term_text(plan.slots[l].terms[t]));
    }
    if (list.empty()) continue;
    if (!first) out += ',';
    first = false;
    base::append_json_string(out, plan.slots[l].name);
    out += ":[" + list + "]";
  }
  out += "}}";
  return out;
}

}  // namespace tusk::tools
