#include "dsl/formatter.h"

#include <gtest/gtest.h>

#include <regex>

#include "dsl/ast_dump.h"
#include "dsl/parser.h"

namespace tusk::dsl {
namespace {

struct Formatted {
  std::string text;
  std::string ast;  // the dumped tree without spans
};

std::string strip_spans(const std::string& dump) {
  static const std::regex kSpan(R"( @\d+:\d+-\d+:\d+)");
  return std::regex_replace(dump, kSpan, "");
}

Formatted fmt_text(const std::string& text, int width = 120) {
  base::SourceManager sources;
  const auto& file = sources.add("t.tusk", text);
  base::Diagnostics diags;
  File ast = parse(file, diags);
  EXPECT_FALSE(diags.has_errors()) << base::render_text(diags, sources);
  return {format(ast, file, {.max_width = width}), strip_spans(dump_ast(ast, sources))};
}

// The properties every formatting must have: fmt(fmt(x)) == fmt(x), and the same tree.
std::string check(const std::string& text, int width = 120) {
  const Formatted once = fmt_text(text, width);
  const Formatted twice = fmt_text(once.text, width);
  EXPECT_EQ(once.text, twice.text) << "not idempotent; first output:\n" << once.text;
  EXPECT_EQ(once.ast, twice.ast) << "formatting changed the tree:\n" << once.text;
  return once.text;
}

TEST(Formatter, CanonicalLayoutOfARule) {
  EXPECT_EQ(check("rule   r{when a   and not(b)\nscore   -40 reason \"x: {hits(l)}\" tag \"t\"}"),
            "rule r {\n  when a and not b\n  score -40\n  reason \"x: {hits(l)}\"\n  tag \"t\"\n}\n");
}

TEST(Formatter, KeepsParenthesesTheTreeNeedsAndDropsTheOthers) {
  EXPECT_EQ(check("rule r { when (a or b) and ((c)) }"), "rule r {\n  when (a or b) and c\n}\n");
  // `and` inside `or` is always parenthesized, for readers; the tree is the same.
  EXPECT_EQ(check("rule r { when a or b and c }"), "rule r {\n  when a or (b and c)\n}\n");
  EXPECT_EQ(check("rule r { when a and (b and c) }"), "rule r {\n  when a and (b and c)\n}\n");
  EXPECT_EQ(check("rule r { when (a - b) - c > -(d + 1) * 2 }"),
            "rule r {\n  when a - b - c > -(d + 1) * 2\n}\n");
  EXPECT_EQ(check("rule r { when a - (b - c) == 1 }"), "rule r {\n  when a - (b - c) == 1\n}\n");
  EXPECT_EQ(check("rule r { when not (a == b) and (price in USD) < 20 }"),
            "rule r {\n  when not a == b and price in USD < 20\n}\n");
  EXPECT_EQ(check("rule r { when (title) mentions (x.y) }"), "rule r {\n  when title mentions x.y\n}\n");
}

TEST(Formatter, KeepsEveryComment) {
  const std::string in =
      "// head\n/* block\n   two lines */\nrule r /* inline */ { // after brace\n"
      "  when a /* between */ and // eol\n       b\n  // before score\n  score /**/ 1\n}\n// tail";
  const std::string out = check(in);
  for (const char* c : {"// head", "/* block\n   two lines */", "/* inline */", "// after brace",
                        "/* between */", "// eol", "// before score", "/**/", "// tail"}) {
    EXPECT_NE(out.find(c), std::string::npos) << c << " lost:\n" << out;
  }
  // Comments stay in source order.
  EXPECT_LT(out.find("// head"), out.find("/* inline */"));
  EXPECT_LT(out.find("// before score"), out.find("score 1"));
  EXPECT_LT(out.find("score 1"), out.find("// tail"));
}

TEST(Formatter, BreaksLongConditionsBeforeTopLevelOperators) {
  const std::string out =
      check("rule r { when aaaaaaaaaa and bbbbbbbbbb and (cccccccccc or dddddddddd) }", 40);
  EXPECT_EQ(out, "rule r {\n  when aaaaaaaaaa\n   and bbbbbbbbbb\n   and (cccccccccc or dddddddddd)\n}\n");
  // An author's line breaks are kept even when the condition would fit.
  EXPECT_EQ(check("rule r {\n  when a\n    and b\n}"), "rule r {\n  when a\n   and b\n}\n");
}

TEST(Formatter, AlignsTermGroupAttributes) {
  const std::string out =
      check("lexicon l {\n\"ivory\", \"tusk*\" @en weight 0.8\n\"象牙\" @zh\n\"x\"~1 note \"typo\"\n}");
  EXPECT_EQ(out,
            "lexicon l {\n"
            "  \"ivory\", \"tusk*\" @en weight 0.8\n"
            "  \"象牙\"           @zh\n"  // 象牙 is four columns wide
            "  \"x\"~1            note \"typo\"\n"
            "}\n");
  EXPECT_EQ(check("lexicon   one{\"a\",\"b\"}"), "lexicon one { \"a\", \"b\" }\n");
  EXPECT_EQ(check("lexicon e = std.aaaaaaaaaa.names + std.bbbbbbbbbb.names - (c + d)", 40),
            "lexicon e = std.aaaaaaaaaa.names\n  + std.bbbbbbbbbb.names\n  - (c + d)\n");
  EXPECT_EQ(check("lexicon e = a + (b - {\"x\" @en}) - load(\"f.yaml\")"),
            "lexicon e = a + (b - { \"x\" @en }) - load(\"f.yaml\")\n");
}

TEST(Formatter, BlankLinesAroundBlocksAndKeptGroupsOfOneLiners) {
  const std::string out = check(
      "pack p version \"1\"\nuse std.a\nuse std.b\n\n\n\nregex w = /\\d+ ?kg/i\nrule r { when a }\nrule s { "
      "when b }");
  EXPECT_EQ(out,
            "pack p version \"1\"\nuse std.a\nuse std.b\n\nregex w = /\\d+ ?kg/i\n\nrule r {\n  when "
            "a\n}\n\nrule s {\n"
            "  when b\n}\n");
}

TEST(Formatter, DecideTestsSuggestionsAlternatives) {
  const std::string out = check(
      "decide { block when score>=80 message \"no\" review when score >= 40 allow otherwise }\n"
      "suggest std.alternatives.tagua when a or b\nsuggest \"Try resin.\" when a\n"
      "alternative t { \"Tagua nut.\" @en \"Tagua.\" @es }\n"
      "test \"t\" { listing { title: \"a \\\"b\\\"\", \"odd key\": null, n: -3.50, tags: [\"x\",], seller: "
      "{country: \"CN\"} }\n"
      "expect review expect not fired a expect score >= -10 expect tag \"t\" expect suggest x.y expect "
      "evidence \"e\" }");
  EXPECT_EQ(out,
            "decide {\n  block  when score >= 80 message \"no\"\n  review when score >= 40\n  allow  "
            "otherwise\n}\n\n"
            "suggest std.alternatives.tagua when a or b\nsuggest \"Try resin.\" when a\n\n"
            "alternative t {\n  \"Tagua nut.\" @en\n  \"Tagua.\" @es\n}\n\n"
            "test \"t\" {\n"
            "  listing { title: \"a \\\"b\\\"\", \"odd key\": null, n: -3.50, tags: [\"x\"], seller: { "
            "country: \"CN\" } }\n"
            "  expect review\n  expect not fired a\n  expect score >= -10\n  expect tag \"t\"\n  expect "
            "suggest x.y\n"
            "  expect evidence \"e\"\n}\n");
}

TEST(Formatter, LongListingsGoOneFieldPerLine) {
  const std::string out = check(
      "test \"t\" { listing { title: \"a long title here\", description: \"and a long description\" } expect "
      "allow }",
      50);
  EXPECT_EQ(out,
            "test \"t\" {\n  listing {\n    title: \"a long title here\",\n    description: \"and a long "
            "description\",\n"
            "  }\n  expect allow\n}\n");
}

}  // namespace
}  // namespace tusk::dsl
