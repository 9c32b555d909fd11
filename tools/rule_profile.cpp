#include "tools/rule_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <regex>

#include "api/inspect.h"
#include "base/json_text.h"
#include "compiler/interp/interpreter.h"

namespace tusk::tools {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Condition evaluation takes tens of nanoseconds: each is repeated so that the clock's own
// cost does not dominate what is measured.
constexpr int kRuleRepeats = 8;

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::vector<LintFinding> lint_patterns(const Pack& pack) {
  const compiler::plan::Plan& plan = tusk::inspect::plan(pack);
  std::vector<LintFinding> out;
  // `.`, a negated class or \S \W \D repeated without bound: almost any byte continues the match.
  static const std::regex kUnbounded(R"((^|[^\\])(\.|\[\^[^\]]*\]|\\[SWD])[*+])");
  static const std::regex kBigRepeat(R"(\{(\d+),?(\d*)\})");
  for (const auto& slot : plan.slots) {
    if (slot.is_regex) {
      const std::string re = "/" + slot.pattern + "/" + slot.flags;
      if (std::regex_search(slot.pattern, kUnbounded)) {
        out.push_back(
            {slot.name, re,
             "unbounded `.*`/`.+` (or a negated class or \\S repeated without bound): Vectorscan must keep a "
             "state for every start; bound it, e.g. `.{0,40}`"});
      }
      for (std::sregex_iterator it(slot.pattern.begin(), slot.pattern.end(), kBigRepeat), end; it != end;
           ++it) {
        const std::string hi = (*it)[2].str().empty() ? (*it)[1].str() : (*it)[2].str();
        if (!hi.empty() && std::stoul(hi) > 100) {
          out.push_back({slot.name, re,
                         fmt::format("bounded repeat `{}` above 100: large bounded repeats grow the "
                                     "database and the scan state",
                                     (*it)[0].str())});
        }
      }
      continue;
    }
    for (const auto& t : slot.terms) {
      const std::string shown = t.text + (t.prefix ? "*" : "");
      const std::size_t len = runtime::code_points(t.text).size();
      if (t.edit_distance >= 2) {
        out.push_back(
            {slot.name, fmt::format("\"{}\"~{}", shown, t.edit_distance),
             fmt::format("edit distance {} on a term of {} characters: fuzzy terms expand into many "
                         "automaton states and match unrelated words",
                         t.edit_distance, len)});
      }
      if (ascii(t.text) && t.prefix && len <= 3) {
        out.push_back(
            {slot.name, fmt::format("\"{}\"", shown),
             fmt::format("a prefix of {} letters matches many words: every match is a callback", len)});
      } else if (ascii(t.text) && len <= 2) {
        out.push_back(
            {slot.name, fmt::format("\"{}\"", shown), "a term of 1 or 2 letters matches very often"});
      }
    }
  }
  return out;
}

BenchReport run_bench(const std::shared_ptr<const Pack>& pack, const std::vector<std::string>& lines,
                      const BenchOptions& options) {
  BenchReport report;
  report.pack = pack->info();
  report.backend = tusk::inspect::compiled(*pack).evaluator->name();
  report.records = lines.size();
  for (const auto& l : lines) report.bytes += l.size() + 1;

  // Throughput: the whole pipeline, verdicts included, as `tusk scan` runs it on one thread.
  Scanner scanner(pack);
  const auto started = Clock::now();
  do {
    for (const auto& l : lines) {
      Verdict v = scanner.scan(l);
      if (report.repetitions == 0 && !v.ok) ++report.unreadable;
    }
    ++report.repetitions;
  } while (!lines.empty() && since(started) < options.min_seconds);
  report.seconds = since(started);

  // Per rule: each condition evaluated alone on every record, by the reference interpreter
  // (the JIT compiles conditions together, so it cannot time one rule).
  const runtime::CompiledPack& impl = tusk::inspect::compiled(*pack);
  const compiler::plan::Plan& plan = *impl.plan;
  const compiler::interp::Interpreter interp(plan, tusk::inspect::host_table());
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner);
  report.rules.resize(plan.rules.size());
  for (std::size_t r = 0; r < plan.rules.size(); ++r) report.rules[r].rule = plan.rules[r].name;
  // Normalized texts per pass, kept for the per-pattern profile.
  std::vector<std::vector<std::string>> texts(impl.passes.size());
  std::vector<std::vector<stdlib::FieldId>> text_fields(impl.passes.size());
  const std::size_t n = std::min(lines.size(), options.max_records);
  report.profiled_records = n;
  std::string error;
  volatile double sink = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool readable = s.evaluate(lines[i], error);
    s.discard_state();  // profiling measures rules; it keeps no account state
    if (!readable) continue;
    for (std::size_t r = 0; r < plan.rules.size(); ++r) {
      const auto t0 = Clock::now();
      double v = 0;
      for (int k = 0; k < kRuleRepeats; ++k) {
        v += interp.value(plan.rules[r].when, s.eval_record(), s.result()).num;
      }
      report.rules[r].seconds += std::chrono::duration<double>(Clock::now() - t0).count() / kRuleRepeats;
      sink = sink + v;
      ++report.rules[r].evaluations;
      report.rules[r].fired += s.result().fired[r];
    }
    for (std::uint32_t p = 0; p < impl.passes.size(); ++p) {
      for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
        if (!((impl.passes[p].fields >> f) & 1u) || !s.record().present(f) || s.field_text(f).empty()) {
          continue;
        }
        texts[p].push_back(s.normalized(p, f).text);
        text_fields[p].push_back(f);
      }
    }
  }

  // Per lexicon or regex: its patterns alone in their own database, scanned over the texts
  // of its pass in the fields it is looked for in. Shares are of the sum of these times; a
  // pack's combined database costs less than that sum.
  for (std::uint32_t p = 0; p < impl.passes.size(); ++p) {
    const auto& pass = plan.passes[p];
    runtime::Normalizer normalizer(*impl.passes[p].profile);
    for (compiler::plan::SlotId id : pass.slots) {
      const compiler::plan::Slot& slot = plan.slots[id];
      std::vector<runtime::PatternSpec> specs;
      if (slot.is_regex) {
        specs.push_back({0, runtime::PatternKind::kRegex, slot.pattern, false, 0, slot.flags});
      } else {
        for (const auto& t : slot.terms) {
          std::string text = normalizer.normalize_term(t.text);
          if (text.empty()) continue;
          specs.push_back({static_cast<std::uint32_t>(specs.size()), runtime::PatternKind::kTerm,
                           std::move(text), t.prefix, t.edit_distance, ""});
        }
      }
      SlotCost cost{slot.name, slot.is_regex, pass.profile, specs.size()};
      std::string err;
      std::uint32_t bad = 0;
      auto db = runtime::PatternDb::compile(specs, {}, &err, &bad);
      if (!db) continue;
      runtime::PatternScratch scratch(*db);
      std::vector<runtime::Match> matches;
      std::uint64_t reps = 0;
      const auto t0 = Clock::now();
      do {
        for (std::size_t k = 0; k < texts[p].size(); ++k) {
          if (!((slot.fields >> text_fields[p][k]) & 1u)) continue;
          matches.clear();
          runtime::scan(*db, scratch, texts[p][k], matches);
          if (reps == 0) cost.bytes += texts[p][k].size(), cost.hits += matches.size();
        }
        ++reps;
      } while (since(t0) < 0.01 && reps < 1000);
      cost.seconds = since(t0) / reps;
      report.slots.push_back(std::move(cost));
    }
  }
  std::stable_sort(report.rules.begin(), report.rules.end(),
                   [](const auto& a, const auto& b) { return a.seconds > b.seconds; });
  std::stable_sort(report.slots.begin(), report.slots.end(),
                   [](const auto& a, const auto& b) { return a.seconds > b.seconds; });

  report.lint = lint_patterns(*pack);
  double total = 0;
  for (const auto& c : report.slots) total += c.seconds;
  for (const auto& c : report.slots) {
    if (report.slots.size() >= 3 && total > 0 && c.seconds / total > 0.25) {
      report.lint.push_back({c.name, "",
                             fmt::format("takes {:.0f}% of the scan time of all lexicons and regexes",
                                         100 * c.seconds / total)});
    }
    if (n > 0 && c.hits > 2 * n) {
      report.lint.push_back({c.name, "",
                             fmt::format("{:.1f} matches per listing: frequent matches cost a callback "
                                         "each; are some terms too common?",
                                         static_cast<double>(c.hits) / n)});
    }
  }
  return report;
}

std::string BenchReport::text(std::size_t top) const {
  std::string out;
  out += fmt::format("pack {} {} over {}: {} listings, {:.2f} MB{}\n", pack.name, pack.version, corpus,
                     records, bytes / 1e6, unreadable ? fmt::format(", {} unreadable", unreadable) : "");
  out += fmt::format(
      "throughput: {:.0f} records/s, {:.1f} MB/s on one thread ({} passes over the corpus in {:.2f} s, "
      "backend {})\n",
      records_per_second(), mb_per_second(), repetitions, seconds, backend);
  double rule_total = 0, slot_total = 0;
  for (const auto& r : rules) rule_total += r.seconds;
  for (const auto& c : slots) slot_total += c.seconds;
  out += fmt::format("\nslowest rules (condition evaluation alone, over {} listings)\n", profiled_records);
  out += fmt::format("  {:<30} {:>6} {:>10} {:>8} {:>6}\n", "rule", "share", "ns/eval", "evals", "fired");
  for (std::size_t i = 0; i < rules.size() && i < top; ++i) {
    const auto& r = rules[i];
    out += fmt::format("  {:<30} {:>5.1f}% {:>10.0f} {:>8} {:>6}\n", r.rule,
                       rule_total > 0 ? 100 * r.seconds / rule_total : 0,
                       r.evaluations ? 1e9 * r.seconds / r.evaluations : 0, r.evaluations, r.fired);
  }
  out += "\nslowest lexicons and regexes (each scanned alone over the corpus's normalized text)\n";
  out += fmt::format("  {:<36} {:>6} {:>8} {:>9} {:>8} {:>7}\n", "lexicon/regex", "share", "patterns", "MB/s",
                     "hits", "profile");
  for (std::size_t i = 0; i < slots.size() && i < top; ++i) {
    const auto& c = slots[i];
    out += fmt::format("  {:<36} {:>5.1f}% {:>8} {:>9.1f} {:>8} {:>7}\n", (c.is_regex ? "/" : "") + c.name,
                       slot_total > 0 ? 100 * c.seconds / slot_total : 0, c.patterns,
                       c.seconds > 0 ? c.bytes / c.seconds / 1e6 : 0, c.hits, c.profile);
  }
  out += fmt::format("\nlint: {} finding{}\n", lint.size(), lint.size() == 1 ? "" : "s");
  for (const auto& l : lint) {
    out += fmt::format("  {}{}: {}\n", l.slot, l.pattern.empty() ? "" : " " + l.pattern, l.message);
  }
  return out;
}

std::string BenchReport::json() const {
  std::string out =
      "{\"pack\":{\"name\":" + base::json_string(pack.name) +
      ",\"version\":" + base::json_string(pack.version) + ",\"digest\":" + base::json_string(pack.digest) +
      "},\"corpus\":" + base::json_string(corpus) + ",\"backend\":" + base::json_string(backend);
  out += fmt::format(
      ",\"records\":{},\"bytes\":{},\"unreadable\":{},\"repetitions\":{},\"seconds\":{:.6f},"
      "\"records_per_second\":{:.1f},\"mb_per_second\":{:.3f},\"profiled_records\":{}",
      records, bytes, unreadable, repetitions, seconds, records_per_second(), mb_per_second(),
      profiled_records);
  out += ",\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    out += std::string(i ? "," : "") + "{\"rule\":" + base::json_string(rules[i].rule) +
           fmt::format(",\"seconds\":{:.9f},\"evaluations\":{},\"fired\":{}}}", rules[i].seconds,
                       rules[i].evaluations, rules[i].fired);
  }
  out += "],\"patterns\":[";
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& c = slots[i];
    out += std::string(i ? "," : "") + "{\"name\":" + base::json_string(c.name) +
           ",\"profile\":" + base::json_string(c.profile) +
           fmt::format(",\"regex\":{},\"patterns\":{},\"seconds\":{:.9f},\"bytes\":{},\"hits\":{}}}",
                       c.is_regex, c.patterns, c.seconds, c.bytes, c.hits);
  }
  out += "],\"lint\":[";
  for (std::size_t i = 0; i < lint.size(); ++i) {
    out += std::string(i ? "," : "") + "{\"slot\":" + base::json_string(lint[i].slot) +
           ",\"pattern\":" + base::json_string(lint[i].pattern) +
           ",\"message\":" + base::json_string(lint[i].message) + "}";
  }
  out += "]}";
  return out;
}

}  // namespace tusk::tools
