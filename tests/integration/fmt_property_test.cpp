// `tusk fmt` over generated packs: for every seed, formatting is idempotent and keeps the tree
// and the comments, also at a narrow width that forces conditions and lexicons to break.
#include <gtest/gtest.h>

#include <regex>

#include "dsl/ast_dump.h"
#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "tests/support/random_pack.h"

namespace tusk::testing {
namespace {

std::string without_spans(const std::string& dump) {
  static const std::regex kSpan(R"( @\d+:\d+-\d+:\d+)");
  return std::regex_replace(dump, kSpan, "");
}

TEST(FmtProperty, RandomPacksFormatIdempotentlyAndKeepTheirTree) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    SeededChoices choices(seed);
    // Comments between declarations and at line ends, as people write them.
    std::string source = "// generated pack " + std::to_string(seed) + "\n" + random_pack(choices).source();
    source =
        std::regex_replace(source, std::regex("\n(rule [a-z_0-9]+ \\{)"), "\n/* a rule */\n$1 // opens\n");
    for (int width : {120, 60}) {
      base::SourceManager sources;
      const auto& file = sources.add("seed" + std::to_string(seed) + ".tusk", source);
      base::Diagnostics diags;
      const dsl::File ast = dsl::parse(file, diags);
      ASSERT_FALSE(diags.has_errors()) << base::render_text(diags, sources) << source;
      const std::string once = dsl::format(ast, file, {.max_width = width});
      const auto& formatted = sources.add("formatted.tusk", once);
      base::Diagnostics diags2;
      const dsl::File ast2 = dsl::parse(formatted, diags2);
      ASSERT_FALSE(diags2.has_errors()) << "seed " << seed << ":\n"
                                        << base::render_text(diags2, sources) << once;
      ASSERT_EQ(without_spans(dsl::dump_ast(ast, sources)), without_spans(dsl::dump_ast(ast2, sources)))
          << "seed " << seed << " width " << width << ":\n"
          << source << "\n--- formatted:\n"
          << once;
      ASSERT_EQ(ast.comments.size(), ast2.comments.size()) << "seed " << seed << ":\n" << once;
      ASSERT_EQ(dsl::format(ast2, formatted, {.max_width = width}), once)
          << "seed " << seed << " width " << width;
    }
  }
}

}  // namespace
}  // namespace tusk::testing
