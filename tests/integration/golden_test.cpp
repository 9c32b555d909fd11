// One parameterized runner per stage over tests/golden/<stage>/.
//   parse/NAME.tusk   -> NAME.ast (the dumped tree) and NAME.diag (syntax diagnostics)
//   check/NAME.tusk or check/NAME/ (a pack directory) -> NAME.diag (all diagnostics)
//   ir/NAME.tusk -> NAME.ll (the JIT's unoptimized LLVM IR)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "api/inspect.h"
#include "base/diagnostic.h"
#include "compiler/front/driver.h"
#include "compiler/jit/jit_evaluator.h"
#include "compiler/plan/lower.h"
#include "compiler/plan/plan.h"
#include "dsl/ast_dump.h"
#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "tests/support/golden.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::testing {
namespace {

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::filesystem::path with_ext(const std::string& input, const char* ext) {
  std::filesystem::path p(input);
  if (std::filesystem::is_directory(p)) return p.string() + ext;
  return p.replace_extension(ext);
}

class ParseGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseGolden, Matches) {
  enter_source_dir();
  base::SourceManager sources;
  const auto& file = sources.add(GetParam(), read_file(GetParam()));
  base::Diagnostics diags;
  const dsl::File ast = dsl::parse(file, diags);
  expect_golden(with_ext(GetParam(), ".ast"), dsl::dump_ast(ast, sources));
  expect_golden(with_ext(GetParam(), ".diag"), base::render_text(diags, sources));
}
INSTANTIATE_TEST_SUITE_P(Golden, ParseGolden, ::testing::ValuesIn(golden_inputs("parse", ".tusk")),
                         test_name);

class CheckGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckGolden, Matches) {
  enter_source_dir();
  compiler::front::CheckOptions options;
  options.stdlib_dir = "stdlib";
  auto pack = compiler::front::load_pack(GetParam(), options);
  expect_golden(with_ext(GetParam(), ".diag"), base::render_text(pack->diags, pack->sources));
}
INSTANTIATE_TEST_SUITE_P(Golden, CheckGolden, ::testing::ValuesIn(golden_inputs("check", ".tusk", true)),
                         test_name);

// run/NAME.tusk + run/NAME.jsonl -> NAME.out: one verdict per input line, as `tusk scan` prints.
// The plan is checked too (NAME.plan), since it is what every backend runs.
class RunGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(RunGolden, Matches) {
  enter_source_dir();
  CompileOptions options;
  options.stdlib_dir = "stdlib";
  CompileResult compiled = Pack::compile(GetParam(), options);
  ASSERT_TRUE(compiled.pack) << compiled.rendered;
  expect_golden(with_ext(GetParam(), ".plan"),
                compiler::plan::dump_plan(tusk::inspect::plan(*compiled.pack)));
  Scanner scanner(compiled.pack);
  std::ifstream in(with_ext(GetParam(), ".jsonl"), std::ios::binary);
  ASSERT_TRUE(in) << "missing " << with_ext(GetParam(), ".jsonl");
  std::string out, line;
  for (std::uint64_t n = 1; std::getline(in, line); ++n) {
    Verdict v = scanner.scan(line);
    if (!v.ok) v.line = n;
    out += to_json(v) + "\n";
  }
  expect_golden(with_ext(GetParam(), ".out"), out);
}
INSTANTIATE_TEST_SUITE_P(Golden, RunGolden, ::testing::ValuesIn(golden_inputs("run", ".tusk", true)),
                         test_name);

// ir/NAME.tusk -> NAME.ll: the unoptimized LLVM IR the JIT compiles (`tusk check --dump ir`).
class IrGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(IrGolden, Matches) {
  enter_source_dir();
  compiler::front::CheckOptions options;
  options.stdlib_dir = "stdlib";
  auto pack = compiler::front::load_pack(GetParam(), options);
  ASSERT_TRUE(pack->checked && !pack->diags.has_errors()) << base::render_text(pack->diags, pack->sources);
  expect_golden(with_ext(GetParam(), ".ll"),
                compiler::jit::dump_ir(*compiler::plan::build_plan(*pack->checked)));
}
INSTANTIATE_TEST_SUITE_P(Golden, IrGolden, ::testing::ValuesIn(golden_inputs("ir", ".tusk", true)),
                         test_name);

// fmt/NAME.tusk -> NAME.fmt: what `tusk fmt` makes of it. The golden must itself be a fixed
// point (formatting it again changes nothing).
class FmtGolden : public ::testing::TestWithParam<std::string> {};

std::string strip_spans(const std::string& dump) {
  static const std::regex kSpan(R"( @\d+:\d+-\d+:\d+)");
  return std::regex_replace(dump, kSpan, "");
}

TEST_P(FmtGolden, Matches) {
  enter_source_dir();
  base::SourceManager sources;
  const auto& file = sources.add(GetParam(), read_file(GetParam()));
  base::Diagnostics diags;
  const dsl::File ast = dsl::parse(file, diags);
  ASSERT_FALSE(diags.has_errors()) << base::render_text(diags, sources);
  const std::string out = dsl::format(ast, file);
  expect_golden(with_ext(GetParam(), ".fmt"), out);
  const auto& again = sources.add(GetParam() + ".fmt", out);
  const dsl::File ast2 = dsl::parse(again, diags);
  EXPECT_EQ(dsl::format(ast2, again), out);
}
INSTANTIATE_TEST_SUITE_P(Golden, FmtGolden, ::testing::ValuesIn(golden_inputs("fmt", ".tusk")), test_name);

// Every .tusk file of the repository that parses cleanly (example packs, the stdlib, the parse
// and check goldens): fmt(fmt(x)) == fmt(x), and the formatted file parses to the same tree
// modulo spans, with the same comments.
TEST(FmtRepository, IdempotentAndTreePreservingOnEveryTuskFile) {
  enter_source_dir();
  std::size_t checked = 0;
  for (const char* root : {"examples", "stdlib", "tests/golden"}) {
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".tusk") continue;
      const std::string path = entry.path().string();
      base::SourceManager sources;
      const auto& file = sources.add(path, read_file(path));
      base::Diagnostics diags;
      const dsl::File ast = dsl::parse(file, diags);
      if (diags.has_errors()) continue;
      const std::string once = dsl::format(ast, file);
      const auto& formatted = sources.add(path + " (formatted)", once);
      base::Diagnostics diags2;
      const dsl::File ast2 = dsl::parse(formatted, diags2);
      ASSERT_FALSE(diags2.has_errors()) << path << ": the formatted file does not parse\n"
                                        << base::render_text(diags2, sources) << once;
      EXPECT_EQ(strip_spans(dsl::dump_ast(ast, sources)), strip_spans(dsl::dump_ast(ast2, sources))) << path;
      EXPECT_EQ(ast.comments.size(), ast2.comments.size()) << path << ": comments lost or split";
      EXPECT_EQ(dsl::format(ast2, formatted), once) << path << ": not idempotent";
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

// Every diagnostic code in the catalogue is exercised by at least one golden (Soufflé's
// check-test-completion): a new code without a golden fails here.
TEST(GoldenCompleteness, EveryDiagnosticCodeHasAGolden) {
  std::set<std::string> seen;
  const std::regex code_re(R"((?:error|warning)\[([EW]\d{3})\])");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(TUSK_SOURCE_DIR) / "tests" / "golden")) {
    if (entry.path().extension() != ".diag") continue;
    const std::string text = read_file(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), code_re), end; it != end; ++it) {
      seen.insert((*it)[1]);
    }
  }
  for (const auto& code : base::all_diag_codes()) {
    EXPECT_TRUE(seen.count(std::string(code.id)))
        << code.id << " (" << code.name << ") has no golden .diag test";
  }
}

}  // namespace
}  // namespace tusk::testing
