#include "tools/shadow_diff.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "api/inspect.h"
#include "base/json_text.h"

namespace tusk::tools {
namespace {

std::string title_of(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view s;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return "";
  if (doc["title"].get(s) != simdjson::SUCCESS) return "";
  return std::string(s);
}

ScoreStats stats(std::vector<double> v) {
  ScoreStats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / v.size();
  // Nearest-rank percentiles: always a score some listing actually has.
  auto rank = [&](double p) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(p * v.size())) - (p > 0 ? 1 : 0))];
  };
  s.p50 = rank(0.5);
  s.p90 = rank(0.9);
  s.max = v.back();
  return s;
}

std::string top_rules(const std::map<std::string, std::uint64_t>& m, std::size_t n = 5) {
  std::vector<std::pair<std::string, std::uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < n; ++i) {
    out += fmt::format("{}{} ({})", i ? ", " : "", v[i].first, v[i].second);
  }
  if (v.size() > n) out += fmt::format(", ... {} more", v.size() - n);
  return out;
}

void rules_json(std::string& out, const std::map<std::string, std::uint64_t>& m) {
  out += '{';
  bool first = true;
  for (const auto& [rule, n] : m) {
    out += (first ? "" : ",") + base::json_string(rule) + fmt::format(":{}", n);
    first = false;
  }
  out += '}';
}

std::string pack_json(const PackInfo& p) {
  return "{\"name\":" + base::json_string(p.name) + ",\"version\":" + base::json_string(p.version) +
         ",\"digest\":" + base::json_string(p.digest) + "}";
}

std::string branch_taken(Scanner& scanner) {
  const runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const std::int32_t b = s.result().branch;
  if (b < 0) return "allow (no branch matched)";
  const auto& br = plan.decide[b];
  return br.otherwise ? fmt::format("{} otherwise", stdlib::to_string(br.action))
                      : fmt::format("{} when {}", stdlib::to_string(br.action),
                                    compiler::plan::node_text(plan, br.when));
}

}  // namespace

ShadowDiff::ShadowDiff(const std::shared_ptr<const Pack>& old_pack,
                       const std::shared_ptr<const Pack>& new_pack, DiffOptions options)
    : old_(old_pack), new_(new_pack), options_(options) {
  report_.old_pack = old_pack->info();
  report_.new_pack = new_pack->info();
  for (const auto& r : tusk::inspect::plan(*old_pack).rules) rules_[r.name].in_old = true;
  for (const auto& r : tusk::inspect::plan(*new_pack).rules) rules_[r.name].in_new = true;
}

void ShadowDiff::add(std::string_view json) {
  ++report_.records;
  Verdict a = old_.scan(json);
  const std::string old_branch = a.ok ? branch_taken(old_) : "";
  Verdict b = new_.scan(json);
  if (!a.ok || !b.ok) {
    ++report_.unreadable;
    return;
  }
  old_scores_.push_back(a.score);
  new_scores_.push_back(b.score);
  if (b.score > a.score) {
    ++report_.score_up;
  } else if (b.score < a.score) {
    ++report_.score_down;
  } else {
    ++report_.score_same;
  }
  std::set<std::string> fa, fb;
  for (const auto& f : a.fired) fa.insert(f.rule), ++rules_[f.rule].old_fired;
  for (const auto& f : b.fired) fb.insert(f.rule), ++rules_[f.rule].new_fired;
  if (a.action == b.action) {
    ++report_.unchanged[static_cast<int>(a.action)];
    return;
  }
  ++report_.changed;
  Transition& t = transitions_[{static_cast<int>(a.action), static_cast<int>(b.action)}];
  t.from = a.action;
  t.to = b.action;
  ++t.count;
  ++t.branches[old_branch + " -> " + branch_taken(new_)];
  DiffSample s;
  s.id = b.id;
  s.old_score = a.score;
  s.new_score = b.score;
  for (const auto& f : b.fired) {
    ++t.rules_fired[f.rule];
    if (fa.count(f.rule)) {
      s.kept.push_back(f.rule);
      continue;
    }
    ++t.rules_added[f.rule];
    s.added.push_back(f);
  }
  for (const auto& f : a.fired) {
    if (fb.count(f.rule)) continue;
    ++t.rules_removed[f.rule];
    s.removed.push_back(f);
  }
  if (t.samples.size() < options_.samples) {
    s.title = title_of(json);
    t.samples.push_back(std::move(s));
  }
}

DiffReport ShadowDiff::finish(std::string corpus) {
  report_.corpus = std::move(corpus);
  for (auto& [key, t] : transitions_) report_.transitions.push_back(std::move(t));
  std::stable_sort(report_.transitions.begin(), report_.transitions.end(),
                   [](const Transition& x, const Transition& y) { return x.count > y.count; });
  report_.old_scores = stats(old_scores_);
  report_.new_scores = stats(new_scores_);
  for (auto& [name, r] : rules_) {
    r.rule = name;
    if (r.old_fired != r.new_fired) report_.rules.push_back(r);
  }
  return report_;
}

std::string DiffReport::text() const {
  std::string out;
  out += fmt::format("old: {} {} ({})\nnew: {} {} ({})\ncorpus: {}: {} listings", old_pack.name,
                     old_pack.version, old_pack.digest.substr(0, 12), new_pack.name, new_pack.version,
                     new_pack.digest.substr(0, 12), corpus, records);
  if (unreadable) out += fmt::format(", {} unreadable", unreadable);
  out += fmt::format("\n\n{} listing{} change action", changed, changed == 1 ? "" : "s");
  out +=
      fmt::format(" (unchanged: block {}, review {}, allow {})\n", unchanged[2], unchanged[1], unchanged[0]);
  for (const auto& t : transitions) {
    out += fmt::format("  {:>6} -> {:<6} {:>6}\n", to_string(t.from), to_string(t.to), t.count);
    if (!t.rules_added.empty()) out += fmt::format("      newly fired: {}\n", top_rules(t.rules_added));
    if (!t.rules_removed.empty()) {
      out += fmt::format("      no longer fired: {}\n", top_rules(t.rules_removed));
    }
    if (t.rules_added.empty() && t.rules_removed.empty()) {
      out += fmt::format("      same rules fired: {}\n",
                         t.rules_fired.empty() ? "none" : top_rules(t.rules_fired));
    }
    for (const auto& [change, n] : t.branches) out += fmt::format("      decide: {} ({})\n", change, n);
  }
  out += "\nscores        mean     p50     p90     max\n";
  out += fmt::format("  old     {:>8.1f} {:>7} {:>7} {:>7}\n", old_scores.mean, old_scores.p50,
                     old_scores.p90, old_scores.max);
  out += fmt::format("  new     {:>8.1f} {:>7} {:>7} {:>7}\n", new_scores.mean, new_scores.p50,
                     new_scores.p90, new_scores.max);
  out += fmt::format("  up {}, down {}, same {}\n", score_up, score_down, score_same);
  if (!rules.empty()) {
    out += "\nrules whose firing changed (listings fired: old -> new)\n";
    for (const auto& r : rules) {
      out += fmt::format("  {:<28} {:>5} -> {}{}\n", r.rule, r.old_fired, r.new_fired,
                         !r.in_old   ? "  (new rule)"
                         : !r.in_new ? "  (removed rule)"
                                     : "");
    }
  }
  for (const auto& t : transitions) {
    if (t.samples.empty()) continue;
    out += fmt::format("\nsamples {} -> {}:\n", to_string(t.from), to_string(t.to));
    for (const auto& s : t.samples) {
      out += fmt::format("  {}  score {} -> {}{}\n", s.id.empty() ? "(no id)" : s.id, s.old_score,
                         s.new_score, s.title.empty() ? "" : "  \"" + s.title + "\"");
      auto line = [&](char sign, const FiredRule& f) {
        std::string ev;
        for (const auto& e : f.evidence) {
          const std::string item = fmt::format("{} \"{}\"", e.field, e.text);
          if (ev.find(item) == std::string::npos) ev += (ev.empty() ? "" : ", ") + item;
        }
        out += fmt::format("      {} {} {:+}{}\n", sign, f.rule, f.score, ev.empty() ? "" : ": " + ev);
      };
      for (const auto& f : s.added) line('+', f);
      for (const auto& f : s.removed) line('-', f);
      for (const auto& r : s.kept) out += fmt::format("      = {}\n", r);
    }
  }
  return out;
}

std::string DiffReport::json() const {
  std::string out = "{\"old\":" + pack_json(old_pack) + ",\"new\":" + pack_json(new_pack) +
                    ",\"corpus\":" + base::json_string(corpus);
  out += fmt::format(
      ",\"records\":{},\"unreadable\":{},\"changed\":{},\"unchanged\":{{\"block\":{},\"review\":{},\"allow\":"
      "{}}}",
      records, unreadable, changed, unchanged[2], unchanged[1], unchanged[0]);
  out += ",\"transitions\":[";
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    const auto& t = transitions[i];
    out += fmt::format("{}{{\"from\":\"{}\",\"to\":\"{}\",\"count\":{},\"rules_added\":", i ? "," : "",
                       to_string(t.from), to_string(t.to), t.count);
    rules_json(out, t.rules_added);
    out += ",\"rules_removed\":";
    rules_json(out, t.rules_removed);
    out += ",\"rules_fired\":";
    rules_json(out, t.rules_fired);
    out += ",\"branches\":";
    rules_json(out, t.branches);
    out += ",\"samples\":[";
    for (std::size_t k = 0; k < t.samples.size(); ++k) {
      const auto& s = t.samples[k];
      out += std::string(k ? "," : "") + "{\"id\":" + base::json_string(s.id) +
             ",\"title\":" + base::json_string(s.title) +
             fmt::format(",\"old_score\":{},\"new_score\":{},\"added\":[", s.old_score, s.new_score);
      auto rules = [&](const std::vector<FiredRule>& v) {
        for (std::size_t j = 0; j < v.size(); ++j) {
          out += std::string(j ? "," : "") + "{\"rule\":" + base::json_string(v[j].rule) + ",\"evidence\":[";
          for (std::size_t e = 0; e < v[j].evidence.size(); ++e) {
            const auto& ev = v[j].evidence[e];
            out += std::string(e ? "," : "") + "{\"field\":" + base::json_string(ev.field) +
                   ",\"text\":" + base::json_string(ev.text) + "}";
          }
          out += "]}";
        }
      };
      rules(s.added);
      out += "],\"removed\":[";
      rules(s.removed);
      out += "],\"kept\":[";
      for (std::size_t j = 0; j < s.kept.size(); ++j) {
        out += std::string(j ? "," : "") + base::json_string(s.kept[j]);
      }
      out += "]}";
    }
    out += "]}";
  }
  auto st = [](const ScoreStats& s) {
    return fmt::format("{{\"mean\":{:.4f},\"p50\":{},\"p90\":{},\"max\":{}}}", s.mean, s.p50, s.p90, s.max);
  };
  out += "],\"scores\":{\"old\":" + st(old_scores) + ",\"new\":" + st(new_scores) +
         fmt::format(",\"up\":{},\"down\":{},\"same\":{}}}", score_up, score_down, score_same);
  out += ",\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    out += std::string(i ? "," : "") + "{\"rule\":" + base::json_string(r.rule) +
           fmt::format(",\"old\":{},\"new\":{},\"in_old\":{},\"in_new\":{}}}", r.old_fired, r.new_fired,
                       r.in_old, r.in_new);
  }
  out += "]}";
  return out;
}

}  // namespace tusk::tools
