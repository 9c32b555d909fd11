#include "tools/test_runner.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/inspect.h"
#include "base/json_text.h"
#include "compiler/front/manifest.h"
#include "compiler/front/yaml_span.h"
#include "tools/explain.h"

namespace tusk::tools {
namespace {

using Kind = TestExpectation::Kind;
namespace fs = std::filesystem;

const char* cmp_text(stdlib::CmpOp op) {
  switch (op) {
    case stdlib::CmpOp::kEq:
      return "==";
    case stdlib::CmpOp::kNe:
      return "!=";
    case stdlib::CmpOp::kLt:
      return "<";
    case stdlib::CmpOp::kLe:
      return "<=";
    case stdlib::CmpOp::kGt:
      return ">";
    case stdlib::CmpOp::kGe:
      return ">=";
  }
  return "?";
}

bool compare(double a, stdlib::CmpOp op, double b) {
  switch (op) {
    case stdlib::CmpOp::kEq:
      return a == b;
    case stdlib::CmpOp::kNe:
      return a != b;
    case stdlib::CmpOp::kLt:
      return a < b;
    case stdlib::CmpOp::kLe:
      return a <= b;
    case stdlib::CmpOp::kGt:
      return a > b;
    case stdlib::CmpOp::kGe:
      return a >= b;
  }
  return false;
}

std::string read_text(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// ------------------------------------------------------------------ YAML test files

class TestFileReader {
 public:
  TestFileReader(const base::SourceFile& file, const Pack& pack, base::Diagnostics& diags)
      : file_(file), pack_(pack), diags_(diags) {}

  void read(std::vector<TestCase>& out) {
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::ParserException& e) {
      error(compiler::front::yaml_span(file_, e.mark),
            fmt::format("the test file is not valid YAML: {}", e.msg));
      return;
    }
    YAML::Node tests = root;
    if (root.IsMap()) tests = root["tests"];
    if (!tests || !tests.IsSequence()) {
      error(root ? compiler::front::yaml_span(file_, root) : base::Span{file_.id(), 0, 0},
            "a test file is a list of tests, or a mapping with a `tests:` list");
      return;
    }
    for (const auto& t : tests) read_test(t, out);
  }

 private:
  void error(base::Span span, std::string message) {
    diags_.report(base::DiagCode::kBadManifest, span, std::move(message));
  }
  base::Span span(const YAML::Node& n) const { return compiler::front::yaml_span(file_, n); }

  void read_test(const YAML::Node& t, std::vector<TestCase>& out) {
    if (!t.IsMap()) {
      error(span(t), "a test is a mapping with `name`, `listing` (or `listings` or `cases`) and `expect`");
      return;
    }
    std::string name;
    if (t["name"] && t["name"].IsScalar()) {
      name = t["name"].Scalar();
    } else {
      error(span(t), "a test needs a `name`");
      return;
    }
    for (auto it = t.begin(); it != t.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key != "name" && key != "listing" && key != "listings" && key != "cases" && key != "expect") {
        error(span(it->first),
              fmt::format("unknown key `{}` in test \"{}\" (expected name, listing, listings, "
                          "cases, expect)",
                          key, name));
      }
    }
    std::vector<TestExpectation> common;
    if (t["expect"]) read_expect(t["expect"], common);
    const int forms = (t["listing"] ? 1 : 0) + (t["listings"] ? 1 : 0) + (t["cases"] ? 1 : 0);
    if (forms != 1) {
      error(span(t), fmt::format("test \"{}\" needs exactly one of `listing`, `listings` or `cases`", name));
      return;
    }
    // A test whose expectations all had errors was reported already; only one that wrote no
    // `expect` at all is told so.
    auto add = [&](const std::string& case_name, const YAML::Node& listing, std::vector<TestExpectation> ex,
                   bool wrote_expect) {
      TestCase c;
      c.name = case_name;
      c.file = file_.path();
      c.line = file_.line_col(span(listing).begin).line;
      if (!listing.IsMap()) {
        error(span(listing), "a listing is a mapping of fields to values");
        return;
      }
      to_json(listing, c.listing_json);
      c.expectations = std::move(ex);
      if (c.expectations.empty()) {
        if (!wrote_expect) {
          error(span(listing), fmt::format("test \"{}\" expects nothing: add `expect:`", case_name));
        }
        return;
      }
      out.push_back(std::move(c));
    };
    if (t["listing"]) {
      add(name, t["listing"], common, bool(t["expect"]));
    } else if (t["listings"]) {
      // Parameterized: one expectation over many listings.
      const YAML::Node& ls = t["listings"];
      if (!ls.IsSequence()) return error(span(ls), "`listings` must be a list of listings");
      for (std::size_t i = 0; i < ls.size(); ++i) {
        const YAML::Node l = ls[i];
        const std::string id =
            l.IsMap() && l["id"] && l["id"].IsScalar() ? l["id"].Scalar() : std::to_string(i + 1);
        add(fmt::format("{} [{}]", name, id), l, common, bool(t["expect"]));
      }
    } else {
      // A table: each row its own listing and expectations, on top of the test's own.
      const YAML::Node& cs = t["cases"];
      if (!cs.IsSequence()) return error(span(cs), "`cases` must be a list of {listing, expect}");
      for (std::size_t i = 0; i < cs.size(); ++i) {
        const YAML::Node row = cs[i];
        if (!row.IsMap() || !row["listing"]) {
          error(span(row), "a case is a mapping with `listing` and `expect`");
          continue;
        }
        std::vector<TestExpectation> ex = common;
        if (row["expect"]) read_expect(row["expect"], ex);
        const std::string label =
            row["name"] && row["name"].IsScalar() ? row["name"].Scalar() : std::to_string(i + 1);
        add(fmt::format("{} [{}]", name, label), row["listing"], std::move(ex), t["expect"] || row["expect"]);
      }
    }
  }

  // Scalars and lists of scalars both allowed: `fired: a` or `fired: [a, b]`.
  std::vector<YAML::Node> items(const YAML::Node& n) {
    std::vector<YAML::Node> v;
    if (n.IsSequence()) {
      for (const auto& x : n) v.push_back(x);
    } else {
      v.push_back(n);
    }
    return v;
  }

  void read_expect(const YAML::Node& e, std::vector<TestExpectation>& out) {
    if (!e.IsMap()) {
      return error(span(e),
                   "`expect` is a mapping: action, fired, not_fired, score, tags, suggest, evidence");
    }
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node v = it->second;
      if (key == "action") {
        TestExpectation x;
        x.kind = Kind::kAction;
        const std::string a = v.IsScalar() ? v.Scalar() : "";
        if (a == "block") {
          x.action = Action::kBlock;
        } else if (a == "review") {
          x.action = Action::kReview;
        } else if (a == "allow") {
          x.action = Action::kAllow;
        } else {
          error(span(v), fmt::format("`action` must be block, review or allow, not `{}`", a));
          continue;
        }
        out.push_back(x);
      } else if (key == "fired" || key == "not_fired") {
        for (const auto& r : items(v)) {
          if (!r.IsScalar()) {
            error(span(r), fmt::format("`{}` takes rule names", key));
            continue;
          }
          if (!has_rule(r.Scalar())) {
            auto b = diags_.report(base::DiagCode::kUnknownRule, span(r),
                                   fmt::format("no rule `{}` in the pack", r.Scalar()));
            if (auto near = base::closest_name(r.Scalar(), rule_names())) {
              b.help(fmt::format("did you mean `{}`?", *near));
            }
            continue;
          }
          TestExpectation x;
          x.kind = key == "fired" ? Kind::kFired : Kind::kNotFired;
          x.name = r.Scalar();
          out.push_back(x);
        }
      } else if (key == "score") {
        read_score(v, out);
      } else if (key == "tag" || key == "tags" || key == "evidence") {
        for (const auto& s : items(v)) {
          if (!s.IsScalar()) {
            error(span(s), fmt::format("`{}` takes text values", key));
            continue;
          }
          TestExpectation x;
          x.kind = key == "evidence" ? Kind::kEvidence : Kind::kTag;
          x.text = s.Scalar();
          out.push_back(x);
        }
      } else if (key == "suggest") {
        for (const auto& s : items(v)) {
          if (!s.IsScalar()) {
            error(span(s), "`suggest` takes alternative names");
            continue;
          }
          if (!has_alternative(s.Scalar())) {
            diags_.report(base::DiagCode::kUnknownAlternative, span(s),
                          fmt::format("no alternative `{}` in the pack", s.Scalar()));
            continue;
          }
          TestExpectation x;
          x.kind = Kind::kSuggestion;
          x.name = s.Scalar();
          out.push_back(x);
        }
      } else {
        error(span(it->first),
              fmt::format("unknown expectation `{}` (expected action, fired, not_fired, score, "
                          "tags, suggest, evidence)",
                          key));
      }
    }
  }

  // `score: 50`, `score: ">= 40"`, `score: {min: 40, max: 79}`.
  void read_score(const YAML::Node& v, std::vector<TestExpectation>& out) {
    auto push = [&](stdlib::CmpOp op, double n) {
      TestExpectation x;
      x.kind = Kind::kScore;
      x.compare = op;
      x.number = n;
      out.push_back(x);
    };
    auto number = [&](const YAML::Node& n, double& d) {
      try {
        d = n.as<double>();
        return true;
      } catch (const YAML::Exception&) {
        error(span(n), "expected a number");
        return false;
      }
    };
    if (v.IsMap()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string k = it->first.Scalar();
        double d = 0;
        if (k != "min" && k != "max") {
          error(span(it->first), "a score range has `min` and `max` (both inclusive)");
        } else if (number(it->second, d)) {
          push(k == "min" ? stdlib::CmpOp::kGe : stdlib::CmpOp::kLe, d);
        }
      }
      return;
    }
    if (!v.IsScalar()) {
      return error(span(v), "`score` is a number, a comparison such as \">= 40\", or {min, max}");
    }
    std::string s = v.Scalar();
    static const std::pair<const char*, stdlib::CmpOp> kOps[] = {
        {">=", stdlib::CmpOp::kGe}, {"<=", stdlib::CmpOp::kLe}, {"==", stdlib::CmpOp::kEq},
        {"!=", stdlib::CmpOp::kNe}, {">", stdlib::CmpOp::kGt},  {"<", stdlib::CmpOp::kLt}};
    stdlib::CmpOp op = stdlib::CmpOp::kEq;
    for (const auto& [text, o] : kOps) {
      if (s.rfind(text, 0) == 0) {
        op = o;
        s = s.substr(std::string_view(text).size());
        break;
      }
    }
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    while (end && *end == ' ') ++end;
    if (s.empty() || !end || *end != '\0') {
      return error(span(v), "`score` is a number, a comparison such as \">= 40\", or {min, max}");
    }
    push(op, d);
  }

  void to_json(const YAML::Node& n, std::string& out) {
    if (n.IsMap()) {
      out += '{';
      bool first = true;
      for (auto it = n.begin(); it != n.end(); ++it) {
        if (!first) out += ',';
        first = false;
        base::append_json_string(out, it->first.Scalar());
        out += ':';
        to_json(it->second, out);
      }
      out += '}';
    } else if (n.IsSequence()) {
      out += '[';
      for (std::size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        to_json(n[i], out);
      }
      out += ']';
    } else if (n.IsNull()) {
      out += "null";
    } else {
      const std::string& s = n.Scalar();
      // Only plain (unquoted) scalars can be numbers or booleans, as in YAML itself.
      if (n.Tag() == "?") {
        if (s == "true" || s == "false") {
          out += s;
          return;
        }
        char* end = nullptr;
        const double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end && *end == '\0' && std::isfinite(d) &&
            s.find_first_of("xX") == std::string::npos) {
          out += fmt::format("{}", d);
          return;
        }
      }
      base::append_json_string(out, s);
    }
  }

  std::vector<std::string> rule_names() const {
    std::vector<std::string> v;
    for (const auto& r : tusk::inspect::plan(pack_).rules) v.push_back(r.name);
    return v;
  }
  bool has_rule(const std::string& name) const {
    const auto names = rule_names();
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  bool has_alternative(const std::string& name) const {
    for (const auto& s : tusk::inspect::plan(pack_).suggestions) {
      if (s.name == name) return true;
    }
    return false;
  }

  const base::SourceFile& file_;
  const Pack& pack_;
  base::Diagnostics& diags_;
};

}  // namespace

std::string TestExpectation::describe() const {
  switch (kind) {
    case Kind::kAction:
      return to_string(action);
    case Kind::kFired:
      return fmt::format("fired {}", name);
    case Kind::kNotFired:
      return fmt::format("not fired {}", name);
    case Kind::kScore:
      return fmt::format("score {} {}", cmp_text(compare), number);
    case Kind::kTag:
      return fmt::format("tag \"{}\"", text);
    case Kind::kSuggestion:
      return fmt::format("suggest {}", name);
    case Kind::kEvidence:
      return fmt::format("evidence \"{}\"", text);
    case Kind::kAccount:
      return fmt::format("account {}", to_string(account));
  }
  return "";
}

namespace {

std::vector<TestExpectation> convert_expectations(
    const compiler::front::CheckedPack& checked,
    const std::vector<compiler::front::CheckedExpectation>& list) {
  std::vector<TestExpectation> out;
  for (const auto& e : list) {
    TestExpectation x;
    switch (e.kind) {
      case dsl::Expectation::Kind::kAction:
        x.kind = Kind::kAction;
        break;
      case dsl::Expectation::Kind::kFired:
        x.kind = Kind::kFired;
        break;
      case dsl::Expectation::Kind::kNotFired:
        x.kind = Kind::kNotFired;
        break;
      case dsl::Expectation::Kind::kScore:
        x.kind = Kind::kScore;
        break;
      case dsl::Expectation::Kind::kTag:
        x.kind = Kind::kTag;
        break;
      case dsl::Expectation::Kind::kSuggestion:
        x.kind = Kind::kSuggestion;
        break;
      case dsl::Expectation::Kind::kEvidence:
        x.kind = Kind::kEvidence;
        break;
      case dsl::Expectation::Kind::kAccount:
        x.kind = Kind::kAccount;
        break;
    }
    x.action = static_cast<Action>(e.action);
    x.account = static_cast<AccountAction>(e.account);
    if (e.rule && *e.rule < checked.rules.size()) x.name = checked.rules[*e.rule].name;
    if (e.alternative && *e.alternative < checked.alternatives.size()) {
      x.name = checked.alternatives[*e.alternative].name;
    }
    x.compare = e.compare;
    x.number = e.number;
    x.text = e.text;
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

std::vector<TestCase> inline_tests(const Pack& pack) {
  std::vector<TestCase> out;
  const auto& loaded = tusk::inspect::loaded(pack);
  if (!loaded.checked) return out;
  const compiler::front::CheckedPack& checked = *loaded.checked;
  for (const auto& t : checked.tests) {
    TestCase c;
    c.name = t.name;
    if (t.span.valid()) {
      const auto& file = loaded.sources.file(t.span.source);
      c.file = file.path();
      c.line = file.line_col(t.span.begin).line;
    }
    c.listing_json = t.listing_json;
    c.expectations = convert_expectations(checked, t.expectations);
    for (const auto& step : t.more) {
      c.more.push_back({step.listing_json, convert_expectations(checked, step.expectations)});
    }
    out.push_back(std::move(c));
  }
  return out;
}

void load_test_file(const std::string& path, const Pack& pack, base::SourceManager& sources,
                    base::Diagnostics& diags, std::vector<TestCase>& out) {
  bool ok = false;
  std::string text = read_text(path, ok);
  const auto& file = sources.add(path, std::move(text));
  if (!ok) {
    diags.report(base::DiagCode::kIoError, base::Span{file.id(), 0, 0},
                 fmt::format("cannot read the test file {}", path));
    return;
  }
  TestFileReader(file, pack, diags).read(out);
}

WorkflowSettings workflow_settings(const std::string& pack_path) {
  WorkflowSettings out;
  const fs::path dir(pack_path);
  if (!fs::is_directory(dir)) return out;
  bool ok = false;
  std::string text = read_text((dir / "pack.yaml").string(), ok);
  if (!ok) return out;
  base::SourceManager sources;
  base::Diagnostics ignored;
  const compiler::front::Manifest m =
      compiler::front::parse_manifest(sources.add((dir / "pack.yaml").string(), std::move(text)), ignored);
  for (const auto& t : m.tests) out.test_files.push_back((dir / t.path).lexically_normal().string());
  out.min_coverage = m.limits.min_coverage;
  out.max_changed = m.limits.max_changed;
  return out;
}

bool name_matches(const std::string& name, const std::string& pattern) {
  if (pattern.find_first_of("*?") == std::string::npos) return name.find(pattern) != std::string::npos;
  // Iterative glob with backtracking to the last `*`.
  std::size_t n = 0, p = 0, star = std::string::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++n, ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

TestRunner::TestRunner(const std::shared_ptr<const Pack>& pack)
    : pack_(pack), scanner_(pack), coverage_(tusk::inspect::plan(*pack)) {}

CaseResult TestRunner::run(const TestCase& test) {
  CaseResult r;
  // Each test starts from empty account state and a fixed clock (docs/accounts.md).
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner_);
  s.set_state(make_memory_state());
  s.set_clock([] { return kTestClock; });
  sequence_ = !test.more.empty();
  if (run_listing(test.listing_json, test.expectations, 0, r)) {
    for (std::size_t i = 0; i < test.more.size(); ++i) {
      if (!run_listing(test.more[i].listing_json, test.more[i].expectations, i + 1, r)) break;
    }
  }
  r.passed = r.error.empty() && r.failures.empty();
  if (!r.passed && r.error.empty()) r.explanation = explain(test, r);
  return r;
}

bool TestRunner::run_listing(const std::string& json, const std::vector<TestExpectation>& expectations,
                             std::size_t step, CaseResult& r) {
  runtime::Pipeline& s = tusk::inspect::pipeline(scanner_);
  std::string error;
  if (!s.evaluate(json, error) || !s.commit_state(error)) {
    r.passed = false;
    r.error = step == 0 ? error : fmt::format("listing {}: {}", step + 1, error);
    return false;
  }
  s.fill_verdict(r.verdict);
  coverage_.add(s.result(), s.hits());
  const Verdict& v = r.verdict;
  auto fired = [&](const std::string& rule) {
    return std::any_of(v.fired.begin(), v.fired.end(), [&](const FiredRule& f) { return f.rule == rule; });
  };
  std::vector<std::string> fired_names, evidence_texts;
  for (const auto& f : v.fired) {
    fired_names.push_back(f.rule);
    for (const auto& e : f.evidence) {
      const std::string q = fmt::format("\"{}\"", e.text);
      if (std::find(evidence_texts.begin(), evidence_texts.end(), q) == evidence_texts.end()) {
        evidence_texts.push_back(q);
      }
    }
  }
  const std::string fired_list = fired_names.empty() ? "no rule fired" : "fired: " + join(fired_names);
  for (const auto& x : expectations) {
    std::optional<std::string> actual;
    switch (x.kind) {
      case Kind::kAction:
        if (v.action != x.action) actual = fmt::format("{} (score {})", to_string(v.action), v.score);
        break;
      case Kind::kFired:
        if (!fired(x.name)) actual = fmt::format("`{}` did not fire ({})", x.name, fired_list);
        break;
      case Kind::kNotFired:
        if (fired(x.name)) actual = fmt::format("`{}` fired", x.name);
        break;
      case Kind::kScore:
        if (!compare(v.score, x.compare, x.number)) {
          actual = fmt::format("score {} ({})", v.score, fired_list);
        }
        break;
      case Kind::kTag:
        if (std::find(v.tags.begin(), v.tags.end(), x.text) == v.tags.end()) {
          actual = v.tags.empty() ? std::string("no tags") : "tags: " + join(v.tags);
        }
        break;
      case Kind::kSuggestion: {
        const bool found = std::any_of(v.suggestions.begin(), v.suggestions.end(),
                                       [&](const Suggestion& sg) { return sg.name == x.name; });
        if (!found) {
          std::vector<std::string> names;
          for (const auto& sg : v.suggestions) names.push_back(sg.name.empty() ? "(inline text)" : sg.name);
          actual = names.empty() ? std::string("no suggestions") : "suggested: " + join(names);
        }
        break;
      }
      case Kind::kEvidence: {
        bool found = false;
        for (const auto& f : v.fired) {
          for (const auto& e : f.evidence) found |= e.text == x.text;
        }
        if (!found) {
          actual = evidence_texts.empty() ? std::string("no evidence") : "evidence: " + join(evidence_texts);
        }
        break;
      }
      case Kind::kAccount:
        if (!v.account.present || v.account.action != x.account) {
          actual = v.account.present ? fmt::format("account {}", to_string(v.account.action))
                                     : std::string("the pack has no `decide account`");
        }
        break;
    }
    // In a sequence, say which listing: "listing 3: block".
    if (!actual) continue;
    r.failures.push_back(
        {sequence_ ? fmt::format("listing {}: {}", step + 1, x.describe()) : x.describe(), *actual});
  }
  return true;
}

// The explain trace, trimmed to what bears on the failed expectations: fields with hits,
// the fired rules with their evidence, the condition tree of every rule an expectation names,
// and the decide branches up to the one taken.
std::string TestRunner::explain(const TestCase& test, const CaseResult& r) {
  const runtime::Pipeline& s = tusk::inspect::pipeline(scanner_);
  const compiler::plan::Plan& plan = *s.compiled().plan;
  const compiler::interp::Interpreter interp(plan, tusk::inspect::host_table());
  std::string out;
  bool any_text = false;
  for (stdlib::FieldId f = 0; f < plan.fields.size(); ++f) {
    const bool hit =
        std::any_of(s.hits().begin(), s.hits().end(), [&](const runtime::Hit& h) { return h.field == f; });
    if (!hit) continue;
    if (!any_text) out += "text:\n";
    any_text = true;
    out += fmt::format("  {}: {}\n", plan.fields[f].path, highlight(s.field_text(f), s.hits(), f));
  }
  if (!any_text) out += "text: no lexicon or regex matched\n";
  if (!r.verdict.fired.empty()) {
    out += "fired:\n";
    for (const auto& f : r.verdict.fired) {
      std::vector<std::string> ev;
      for (const auto& e : f.evidence) {
        ev.push_back(fmt::format("{} \"{}\" ({})", e.field, e.text, e.lexicon));
      }
      out += fmt::format("  {} {:+}{}\n", f.rule, f.score, ev.empty() ? "" : "  " + join(ev));
    }
  }
  std::vector<std::string> traced;
  bool decide = false;
  for (const auto& x : test.expectations) {
    if ((x.kind == Kind::kFired || x.kind == Kind::kNotFired) &&
        std::find(traced.begin(), traced.end(), x.name) == traced.end()) {
      const bool failed = std::any_of(r.failures.begin(), r.failures.end(), [&](const ExpectationFailure& f) {
        return f.expected == x.describe();
      });
      if (failed) traced.push_back(x.name);
    }
    if (x.kind == Kind::kAction || x.kind == Kind::kScore) decide = true;
  }
  for (const auto& name : traced) {
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
      if (plan.rules[i].name != name) continue;
      out += fmt::format("rule {}:\n", name);
      append_tree(out, s, interp, plan.rules[i].when, 1, 5);
    }
  }
  if (decide) {
    out += fmt::format("decide (score {}):\n", r.verdict.score);
    for (std::size_t b = 0; b < plan.decide.size(); ++b) {
      const auto& br = plan.decide[b];
      const bool taken = s.result().branch == static_cast<std::int32_t>(b);
      if (br.otherwise) {
        out += fmt::format("  {} {} otherwise\n", taken ? "->" : "  ", stdlib::to_string(br.action));
      } else {
        out += fmt::format("  {} {} when {}  = {}\n", taken ? "->" : "  ", stdlib::to_string(br.action),
                           compiler::plan::node_text(plan, br.when),
                           interp.value(br.when, s.eval_record(), s.result()).num != 0 ? "true" : "false");
      }
      if (taken) break;
    }
  }
  return out;
}

}  // namespace tusk::tools
