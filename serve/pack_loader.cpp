#include "serve/pack_loader.h"

#include <fmt/format.h>

#include <filesystem>

#include "base/diagnostic.h"
#include "tools/test_runner.h"

namespace tusk::serve {

LoadedPack load_pack_source(const std::string& path, const CompileOptions& options) {
  LoadedPack out;
  if (!std::filesystem::exists(path)) {
    out.stage = "compile";
    out.error = fmt::format("no such pack: {}", path);
    return out;
  }
  CompileResult compiled = Pack::compile(path, options);
  bool errors = false;
  for (const auto& d : compiled.diagnostics) errors |= d.severity == "error";
  if (errors || !compiled.pack) {
    out.stage = "compile";
    out.pack_errors = true;
    out.error = compiled.rendered.empty() ? "the pack does not compile" : compiled.rendered;
    return out;
  }
  // The pack's own tests, as `tusk test` runs them: inline tests, then the listed YAML files.
  std::vector<tools::TestCase> cases = tools::inline_tests(*compiled.pack);
  const tools::WorkflowSettings settings = tools::workflow_settings(path);
  base::SourceManager sources;
  base::Diagnostics diags;
  for (const auto& f : settings.test_files) tools::load_test_file(f, *compiled.pack, sources, diags, cases);
  if (diags.has_errors()) {
    out.stage = "test";
    out.pack_errors = true;
    diags.sort();
    out.error = fmt::format("the pack's test files cannot be read: {}", base::render_text(diags, sources));
    return out;
  }
  tools::TestRunner runner(compiled.pack);
  std::vector<std::string> failed;
  for (const auto& c : cases) {
    const tools::CaseResult r = runner.run(c);
    if (r.passed) {
      ++out.tests_passed;
      continue;
    }
    std::string why = r.error;
    for (const auto& f : r.failures) {
      why += fmt::format("{}expected {}, got {}", why.empty() ? "" : "; ", f.expected, f.actual);
    }
    failed.push_back(fmt::format("{} ({}:{}): {}", c.name, c.file, c.line, why));
  }
  if (!failed.empty()) {
    out.stage = "test";
    out.error = fmt::format("{} of {} pack tests failed: {}", failed.size(), cases.size(), failed.front());
    for (std::size_t i = 1; i < failed.size() && i < 5; ++i) out.error += "; " + failed[i];
    return out;
  }
  out.pack = std::move(compiled.pack);
  return out;
}

}  // namespace tusk::serve
