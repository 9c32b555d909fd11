#include "tools/labelled_eval.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>

#include "api/inspect.h"
#include "base/json_text.h"
#include "tusk/scanner.h"

namespace tusk::tools {
namespace {

std::string get_string(simdjson::dom::element e, const char* key) {
  std::string_view s;
  if (e[key].get(s) == simdjson::SUCCESS) return std::string(s);
  return "";
}

// A post's title is its `text` (docs/records.md, "Posts").
std::string title_of(std::string_view json, bool post) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return "";
  std::string title = get_string(doc, "title");
  return title.empty() && post ? get_string(doc, "text") : title;
}

double ratio(std::uint64_t a, std::uint64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }

std::string so_text(const RuleStats& r) {
  if (r.negatives == 0) return r.positives ? "inf" : "-";
  return fmt::format("{:.2f}", static_cast<double>(r.positives) / r.negatives);
}

std::string label_text(const Label& l) {
  return l.expected ? fmt::format("expected {}", to_string(*l.expected))
                    : (l.positive ? "positive" : "negative");
}

std::string evidence_text(const EvalExample& e) {
  std::string out;
  for (const auto& f : e.fired) {
    std::string ev;
    for (const auto& x : f.evidence) {
      const std::string item = fmt::format("{} \"{}\"", x.field, x.text);
      if (ev.find(item) == std::string::npos) ev += (ev.empty() ? "" : ", ") + item;
    }
    out += fmt::format("      {} {:+}{}\n", f.rule, f.score, ev.empty() ? "" : ": " + ev);
  }
  return out;
}

void example_json(std::string& out, const EvalExample& e) {
  out += "{\"id\":" + base::json_string(e.id) +
         fmt::format(",\"action\":\"{}\",\"score\":{}", to_string(e.action), e.score);
  out += ",\"label\":" + base::json_string(e.label.expected ? to_string(*e.label.expected)
                                                            : (e.label.positive ? "positive" : "negative"));
  out += ",\"note\":" + base::json_string(e.label.note) + ",\"title\":" + base::json_string(e.title) +
         ",\"fired\":[";
  for (std::size_t i = 0; i < e.fired.size(); ++i) {
    if (i) out += ',';
    out += "{\"rule\":" + base::json_string(e.fired[i].rule) + ",\"evidence\":[";
    for (std::size_t k = 0; k < e.fired[i].evidence.size(); ++k) {
      const auto& x = e.fired[i].evidence[k];
      out += std::string(k ? "," : "") + "{\"field\":" + base::json_string(x.field) +
             ",\"text\":" + base::json_string(x.text) + ",\"lexicon\":" + base::json_string(x.lexicon) + "}";
    }
    out += "]}";
  }
  out += "]}";
}

}  // namespace

std::string read_labels(const std::string& path, std::map<std::string, Label>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("cannot read {}", path);
  simdjson::dom::parser parser;
  std::string line;
  for (std::uint64_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      return fmt::format("{}:{}: not a JSON object", path, n);
    }
    std::string id = get_string(doc, "id");
    std::int64_t num_id = 0;
    if (id.empty() && doc["id"].get(num_id) == simdjson::SUCCESS) id = std::to_string(num_id);
    if (id.empty()) return fmt::format("{}:{}: a label needs an \"id\"", path, n);
    Label l;
    const std::string label = get_string(doc, "label");
    const std::string expected = get_string(doc, "expected");
    if (!expected.empty()) {
      if (expected == "block") {
        l.expected = Action::kBlock;
      } else if (expected == "review") {
        l.expected = Action::kReview;
      } else if (expected == "allow") {
        l.expected = Action::kAllow;
      } else {
        return fmt::format("{}:{}: \"expected\" must be block, review or allow, not \"{}\"", path, n,
                           expected);
      }
      l.positive = *l.expected != Action::kAllow;
      l.note = get_string(doc, "why");
    } else if (label == "positive" || label == "negative") {
      l.positive = label == "positive";
      l.family = get_string(doc, "family");
      l.note = l.family;
    } else {
      return fmt::format(
          "{}:{}: a label needs \"label\": positive|negative or \"expected\": block|review|allow", path, n);
    }
    out[id] = std::move(l);
  }
  return "";
}

double EvalReport::precision() const { return ratio(tp, tp + fp); }
double EvalReport::recall() const { return ratio(tp, tp + fn); }
double EvalReport::f1() const {
  const double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

LabelledEval::LabelledEval(const std::shared_ptr<const Pack>& pack, std::map<std::string, Label> labels,
                           EvalOptions options)
    : pack_(pack), scanner_(pack), labels_(std::move(labels)), options_(options) {
  scanner_.set_record_shape(options_.shape);
  report_.pack = pack->info();
  report_.by_action = !labels_.empty();
  for (const auto& [id, l] : labels_) report_.by_action &= l.expected.has_value();
  for (const auto& r : tusk::inspect::plan(*pack).rules) report_.rules.push_back({r.name});
}

bool LabelledEval::add(std::string_view json) {
  ++report_.records;
  Verdict v = scanner_.scan(json);
  if (!v.ok) {
    ++report_.unreadable;
    return false;
  }
  auto it = labels_.find(v.id);
  if (it == labels_.end()) {
    ++report_.unlabelled;
    return true;
  }
  seen_[v.id] = true;
  ++report_.labelled;
  const Label& label = it->second;
  const bool flagged = v.action != Action::kAllow;
  const int row = label.expected ? static_cast<int>(*label.expected) : (label.positive ? 2 : 0);
  ++report_.confusion[row][static_cast<int>(v.action)];
  if (flagged && label.positive) ++report_.tp;
  if (flagged && !label.positive) ++report_.fp;
  if (!flagged && label.positive) ++report_.fn;
  if (!flagged && !label.positive) ++report_.tn;
  if (label.positive && !label.family.empty()) {
    auto& [total, found] = report_.families[label.family];
    ++total;
    found += flagged;
  }
  for (const auto& f : v.fired) {
    for (auto& r : report_.rules) {
      if (r.rule == f.rule) ++(label.positive ? r.positives : r.negatives);
    }
  }
  if (flagged != label.positive) {
    EvalExample e{v.id,
                  v.action,
                  v.score,
                  label,
                  title_of(json, options_.shape == tusk::RecordShape::kPost),
                  std::move(v.fired)};
    (flagged ? fps_ : fns_).push_back(std::move(e));
  } else if (flagged && label.expected && v.action != *label.expected) {
    ++(static_cast<int>(v.action) < static_cast<int>(*label.expected) ? report_.under_graded
                                                                      : report_.over_graded);
    misgraded_.push_back({v.id, v.action, v.score, label,
                          title_of(json, options_.shape == tusk::RecordShape::kPost), std::move(v.fired)});
  }
  return true;
}

EvalReport LabelledEval::finish(std::string corpus) {
  report_.corpus = std::move(corpus);
  for (const auto& [id, l] : labels_) report_.labels_without_record += seen_.count(id) ? 0 : 1;
  // Worst first: the most confident false positives, the least suspected false negatives
  // (an expected block before an expected review); ties in input order.
  std::stable_sort(fps_.begin(), fps_.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  std::stable_sort(fns_.begin(), fns_.end(), [](const auto& a, const auto& b) {
    const int sa = a.label.expected ? static_cast<int>(*a.label.expected) : 1;
    const int sb = b.label.expected ? static_cast<int>(*b.label.expected) : 1;
    if (sa != sb) return sa > sb;
    return a.score < b.score;
  });
  // Under-graded (review for an expected block) before over-graded; the lowest score first
  // among the under-graded (furthest from the block threshold), the highest among the others.
  std::stable_sort(misgraded_.begin(), misgraded_.end(), [](const auto& a, const auto& b) {
    const bool ua = static_cast<int>(a.action) < static_cast<int>(*a.label.expected);
    const bool ub = static_cast<int>(b.action) < static_cast<int>(*b.label.expected);
    if (ua != ub) return ua;
    return ua ? a.score < b.score : a.score > b.score;
  });
  if (misgraded_.size() > options_.top) misgraded_.resize(options_.top);
  report_.misgraded = std::move(misgraded_);
  if (fps_.size() > options_.top) fps_.resize(options_.top);
  if (fns_.size() > options_.top) fns_.resize(options_.top);
  report_.false_positives = std::move(fps_);
  report_.false_negatives = std::move(fns_);
  return report_;
}

std::string EvalReport::text() const {
  std::string out;
  out += fmt::format("pack {} {} over {}: {} listings, {} labelled", pack.name, pack.version, corpus, records,
                     labelled);
  if (unlabelled) out += fmt::format(", {} without a label", unlabelled);
  if (unreadable) out += fmt::format(", {} unreadable", unreadable);
  if (labels_without_record) out += fmt::format(", {} labels with no listing", labels_without_record);
  out += "\n\n";
  out += "flagged (review or block) against labelled positive:\n";
  out += fmt::format("  precision {:.3f}  recall {:.3f}  F1 {:.3f}   (TP {}, FP {}, FN {}, TN {})\n\n",
                     precision(), recall(), f1(), tp, fp, fn, tn);
  static const Action kOrder[] = {Action::kBlock, Action::kReview, Action::kAllow};
  if (by_action) {
    out += "by action          precision  recall     F1  support\n";
    for (Action a : kOrder) {
      const int i = static_cast<int>(a);
      std::uint64_t predicted = 0, support = 0;
      for (int k = 0; k < 3; ++k) predicted += confusion[k][i], support += confusion[i][k];
      const double p = ratio(confusion[i][i], predicted), r = ratio(confusion[i][i], support);
      out += fmt::format("  {:<16} {:>9.3f} {:>7.3f} {:>6.3f} {:>8}\n", to_string(a), p, r,
                         p + r == 0 ? 0.0 : 2 * p * r / (p + r), support);
    }
    out += "\nconfusion (rows expected, columns actual)\n";
  } else {
    out += "confusion (rows label, columns actual)\n";
  }
  out += fmt::format("  {:<10} {:>6} {:>6} {:>6}\n", "", "block", "review", "allow");
  for (Action a : kOrder) {
    const int i = static_cast<int>(a);
    if (!by_action && a == Action::kReview) continue;
    const std::string row = by_action ? to_string(a) : (a == Action::kBlock ? "positive" : "negative");
    out +=
        fmt::format("  {:<10} {:>6} {:>6} {:>6}\n", row, confusion[i][2], confusion[i][1], confusion[i][0]);
  }
  if (!families.empty()) {
    out += "\nrecall by family   positives  flagged  recall\n";
    for (const auto& [family, counts] : families) {
      out += fmt::format("  {:<16} {:>9} {:>8} {:>7.3f}\n", family, counts.first, counts.second,
                         ratio(counts.second, counts.first));
    }
  }
  out += "\nrules (fired on labelled positives / negatives; S/O = positives per negative)\n";
  std::size_t width = 4;
  for (const auto& r : rules) width = std::max(width, r.rule.size());
  out += fmt::format("  {:<{}} {:>5} {:>5} {:>6}\n", "rule", width, "pos", "neg", "S/O");
  for (const auto& r : rules) {
    if (r.positives + r.negatives == 0) continue;
    out += fmt::format("  {:<{}} {:>5} {:>5} {:>6}\n", r.rule, width, r.positives, r.negatives, so_text(r));
  }
  std::size_t silent = 0;
  for (const auto& r : rules) silent += r.positives + r.negatives == 0;
  if (silent) out += fmt::format("  ({} rules fired on no labelled listing)\n", silent);
  auto list = [&](const char* title, const std::vector<EvalExample>& v, std::uint64_t total) {
    out += fmt::format("\n{} ({} of {}):\n", title, v.size(), total);
    if (total == 0) out += "  (none)\n";
    for (const auto& e : v) {
      out += fmt::format("  {}  {} (score {}), {}{}\n", e.id, to_string(e.action), e.score,
                         label_text(e.label), e.label.note.empty() ? "" : fmt::format(": {}", e.label.note));
      if (!e.title.empty()) out += fmt::format("      title: {}\n", e.title);
      out += evidence_text(e);
    }
  };
  list("top false positives", false_positives, fp);
  list("top false negatives", false_negatives, fn);
  if (by_action) {
    // Flagged, but with the wrong action: the cases a threshold or a score decides.
    out += fmt::format(
        "\nflagged with the wrong action ({} of {}: {} review where block was expected, {} block where "
        "review was expected):\n",
        misgraded.size(), under_graded + over_graded, under_graded, over_graded);
    if (under_graded + over_graded == 0) out += "  (none)\n";
    for (const auto& e : misgraded) {
      out += fmt::format("  {}  {} (score {}), {}{}\n", e.id, to_string(e.action), e.score,
                         label_text(e.label), e.label.note.empty() ? "" : fmt::format(": {}", e.label.note));
      if (!e.title.empty()) out += fmt::format("      title: {}\n", e.title);
      out += evidence_text(e);
    }
  }
  return out;
}

std::string EvalReport::json() const {
  std::string out = "{\"pack\":{\"name\":" + base::json_string(pack.name) +
                    ",\"version\":" + base::json_string(pack.version) +
                    ",\"digest\":" + base::json_string(pack.digest) +
                    "},\"corpus\":" + base::json_string(corpus);
  out += fmt::format(
      ",\"records\":{},\"labelled\":{},\"unlabelled\":{},\"unreadable\":{},\"labels_without_record\":{}",
      records, labelled, unlabelled, unreadable, labels_without_record);
  out += fmt::format(
      ",\"tp\":{},\"fp\":{},\"fn\":{},\"tn\":{},\"precision\":{:.4f},\"recall\":{:.4f},\"f1\":{:.4f}", tp, fp,
      fn, tn, precision(), recall(), f1());
  out += fmt::format(",\"labels\":\"{}\",\"confusion\":{{", by_action ? "action" : "binary");
  static const Action kOrder[] = {Action::kBlock, Action::kReview, Action::kAllow};
  bool first = true;
  for (Action a : kOrder) {
    const int i = static_cast<int>(a);
    if (!by_action && a == Action::kReview) continue;
    const std::string row = by_action ? to_string(a) : (a == Action::kBlock ? "positive" : "negative");
    out += fmt::format("{}\"{}\":{{\"block\":{},\"review\":{},\"allow\":{}}}", first ? "" : ",", row,
                       confusion[i][2], confusion[i][1], confusion[i][0]);
    first = false;
  }
  out += "},\"families\":{";
  first = true;
  for (const auto& [family, counts] : families) {
    out += (first ? "" : ",") + base::json_string(family) +
           fmt::format(":{{\"positives\":{},\"flagged\":{}}}", counts.first, counts.second);
    first = false;
  }
  out += "},\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    out += std::string(i ? "," : "") + "{\"rule\":" + base::json_string(r.rule) +
           fmt::format(
               ",\"positives\":{},\"negatives\":{},\"so\":{}}}", r.positives, r.negatives,
               r.negatives ? fmt::format("{:.4f}", static_cast<double>(r.positives) / r.negatives) : "null");
  }
  out += "],\"false_positives\":[";
  for (std::size_t i = 0; i < false_positives.size(); ++i) {
    if (i) out += ',';
    example_json(out, false_positives[i]);
  }
  out += "],\"false_negatives\":[";
  for (std::size_t i = 0; i < false_negatives.size(); ++i) {
    if (i) out += ',';
    example_json(out, false_negatives[i]);
  }
  out += fmt::format("],\"under_graded\":{},\"over_graded\":{},\"misgraded\":[", under_graded, over_graded);
  for (std::size_t i = 0; i < misgraded.size(); ++i) {
    if (i) out += ',';
    example_json(out, misgraded[i]);
  }
  out += "]}";
  return out;
}

}  // namespace tusk::tools
