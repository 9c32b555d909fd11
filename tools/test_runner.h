// `tusk test`: pack tests (inline `test` blocks and YAML test files) run through the Scanner,
// each expectation compared with the verdict, and coverage gathered over the whole run.
// Internal to the runtime and its CLI; not part of the public API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "compiler/front/checked.h"
#include "tools/coverage.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::tools {

struct TestExpectation {
  enum class Kind { kAction, kFired, kNotFired, kScore, kTag, kSuggestion, kEvidence, kAccount };
  Kind kind = Kind::kAction;
  Action action = Action::kAllow;                // kAction
  AccountAction account = AccountAction::kNone;  // kAccount
  std::string name;                              // kFired, kNotFired: rule; kSuggestion: alternative
  stdlib::CmpOp compare = stdlib::CmpOp::kEq;    // kScore
  double number = 0;                             // kScore
  std::string text;                              // kTag, kEvidence
  // "review", "fired coded_ivory", "not fired x", "score >= 40", "tag \"t\"", ...
  std::string describe() const;
};

// A later listing of a sequence test (docs/accounts.md): judged with the account state the
// listings before it left.
struct TestStepCase {
  std::string listing_json;
  std::vector<TestExpectation> expectations;
};

struct TestCase {
  std::string name;
  std::string file;  // where the case is written, for the report
  std::uint32_t line = 0;
  std::string listing_json;
  std::vector<TestExpectation> expectations;
  std::vector<TestStepCase> more;  // the listings after the first, in order
};

// The arrival time of a test listing without `posted_at`: 2026-01-01T00:00:00Z, so that a
// test's verdicts never depend on the day it runs.
inline constexpr std::int64_t kTestClock = 1767225600;

// The inline `test` blocks of a compiled pack, in declaration order.
std::vector<TestCase> inline_tests(const Pack& pack);

// Reads a YAML test file (format in docs/workflow.md). Problems are diagnostics located in the
// file (E045 for structure, E022/E026 for unknown rules and alternatives); cases that could
// be read are appended to `out`.
void load_test_file(const std::string& path, const Pack& pack, base::SourceManager& sources,
                    base::Diagnostics& diags, std::vector<TestCase>& out);

// What the workflow commands take from a pack directory's pack.yaml: its YAML test files (as
// paths from the current directory) and the `limits` that default their gates. Empty for a
// single-file pack. The pack's own compilation reports problems in pack.yaml; this does not
// report them again.
struct WorkflowSettings {
  std::vector<std::string> test_files;
  std::optional<double> min_coverage;        // `tusk test --coverage-min`
  std::optional<std::uint64_t> max_changed;  // `tusk diff --max-changed`
};
WorkflowSettings workflow_settings(const std::string& pack_path);

struct ExpectationFailure {
  std::string expected;  // TestExpectation::describe()
  std::string actual;    // what came out instead
};

struct CaseResult {
  bool passed = true;
  std::string error;  // the listing could not be read (a failure too)
  std::vector<ExpectationFailure> failures;
  Verdict verdict;
  std::string explanation;  // trimmed explain trace, filled only on failure
};

// Runs cases against one pack and accumulates coverage. Not thread-safe (one Scanner).
class TestRunner {
 public:
  explicit TestRunner(const std::shared_ptr<const Pack>& pack);
  CaseResult run(const TestCase& test);
  const Coverage& coverage() const { return coverage_; }

 private:
  std::string explain(const TestCase& test, const CaseResult& result);
  // One listing of a case: false when it could not be read (r.error says why).
  bool run_listing(const std::string& json, const std::vector<TestExpectation>& expectations,
                   std::size_t step, CaseResult& r);

  std::shared_ptr<const Pack> pack_;
  Scanner scanner_;
  Coverage coverage_;
  bool sequence_ = false;  // the case being run has more than one listing
};

// Test-name filter: a glob with `*` and `?` when the pattern has one, else a substring match.
bool name_matches(const std::string& name, const std::string& pattern);

}  // namespace tusk::tools
