#include "dsl/parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "dsl/ast_dump.h"

namespace tusk::dsl {
namespace {

struct Parsed {
  base::SourceManager sources;
  base::Diagnostics diags;
  File file;
  const base::SourceFile* source = nullptr;

  std::string_view text(base::Span s) const { return source->slice(s); }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.emplace_back(info(d.code).id);
    return out;
  }
};

std::unique_ptr<Parsed> parse_text(std::string text, ParseOptions options = {}) {
  auto p = std::make_unique<Parsed>();
  p->source = &p->sources.add("test.tusk", std::move(text));
  p->file = parse(*p->source, p->diags, options);
  return p;
}

// The condition of the only rule of `rule r { when COND }`.
std::unique_ptr<Parsed> parse_when(const std::string& cond) {
  return parse_text("rule r { when " + cond + " }");
}
const Expr& when_of(const Parsed& p, std::size_t i = 0) {
  return *std::get<RuleDecl>(p.file.decls.at(i)).when;
}

// A compact s-expression of a condition, to state precedence in one line.
std::string sexpr(const Expr& e) {
  return std::visit(
      [&](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, NameExpr>) {
          return n.name.str();
        } else if constexpr (std::is_same_v<T, NumberExpr>) {
          return n.number.text;
        } else if constexpr (std::is_same_v<T, StringExpr>) {
          return "\"" + n.string.value + "\"";
        } else if constexpr (std::is_same_v<T, BoolLitExpr>) {
          return n.value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, UnaryExpr>) {
          return std::string("(") + (n.op == UnaryOp::kNot ? "not " : "neg ") + sexpr(*n.operand) + ")";
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          return std::string("(") + to_string(n.op) + " " + sexpr(*n.lhs) + " " + sexpr(*n.rhs) + ")";
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          return "(convert " + sexpr(*n.money) + " " + n.currency.name + ")";
        } else if constexpr (std::is_same_v<T, InSetExpr>) {
          std::string s = "(in " + sexpr(*n.value);
          for (const auto& el : n.elements) s += " " + sexpr(*el);
          return s + ")";
        } else if constexpr (std::is_same_v<T, MentionsExpr>) {
          return "(mentions " + sexpr(*n.field) + " " + sexpr(*n.lexicon) + ")";
        } else if constexpr (std::is_same_v<T, MatchesExpr>) {
          return "(matches " + sexpr(*n.field) + " " + sexpr(*n.regex) + ")";
        } else if constexpr (std::is_same_v<T, RegexLitExpr>) {
          return "/" + n.pattern + "/" + n.flags;
        } else if constexpr (std::is_same_v<T, ActionExpr>) {
          return std::string("(action ") + to_string(n.action) + ")";
        } else if constexpr (std::is_same_v<T, HasLabelExpr>) {
          return "(has-label " + n.entity.name + " " + n.label.value + ")";
        } else {
          std::string s = "(call " + n.callee.str();
          for (const auto& a : n.args) s += " " + sexpr(*a);
          if (n.within) s += " (within " + sexpr(*n.within->distance) + " " + n.within->unit.name + ")";
          return s + ")";
        }
      },
      e.node);
}

TEST(Parser, OrBindsLooserThanAndLooserThanNot) {
  auto p = parse_when("a or b and not c");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(sexpr(when_of(*p)), "(or a (and b (not c)))");
}

TEST(Parser, ArithmeticAndComparisonPrecedence) {
  auto p = parse_when("a + b * c >= -d - 1 and not x == y");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(sexpr(when_of(*p)), "(and (>= (+ a (* b c)) (- (neg d) 1)) (not (== x y)))");
}

TEST(Parser, SubtractionIsLeftAssociative) {
  auto p = parse_when("a - b - c > 0");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(sexpr(when_of(*p)), "(> (- (- a b) c) 0)");
}

TEST(Parser, InCurrencyIsConversionAndInBraceIsSetMembership) {
  auto p = parse_when("price in USD < 20 and category in {\"antiques\", \"art\",}");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(sexpr(when_of(*p)), "(and (< (convert price USD) 20) (in category \"antiques\" \"art\"))");
  const auto& conv =
      std::get<ConvertExpr>(std::get<BinaryExpr>(std::get<BinaryExpr>(when_of(*p).node).lhs->node).lhs->node);
  EXPECT_EQ(p->text(conv.currency.span), "USD");
}

TEST(Parser, LowerCaseCurrencyIsNotAConversion) {
  auto p = parse_when("price in usd < 20");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->diags.all()[0].message, "expected `{` after `in`, found `usd`");
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "usd");
}

TEST(Parser, MentionsMatchesAndCalls) {
  auto p = parse_when(
      "title mentions std.wildlife.ivory.names or text matches /\\d+ ?kg/i or near(text, a, b, within 6 "
      "words)");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(sexpr(when_of(*p)),
            "(or (or (mentions title std.wildlife.ivory.names) (matches text /\\d+ ?kg/i)) (call near text a "
            "b (within 6 words)))");
}

TEST(Parser, ComparisonsDoNotChain) {
  auto p = parse_when("a < b < c");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->diags.all()[0].message, "comparisons do not chain; use `and`");
  EXPECT_EQ(p->diags.all()[0].primary.span.begin, 20u);  // the second `<`
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "<");
}

TEST(Parser, SpansCoverExactlyTheConstruct) {
  auto p = parse_when("(a or  b) and seller.country == \"CN\"");
  ASSERT_FALSE(p->diags.has_errors());
  const Expr& e = when_of(*p);
  EXPECT_EQ(p->text(e.span), "(a or  b) and seller.country == \"CN\"");
  const auto& bin = std::get<BinaryExpr>(e.node);
  EXPECT_EQ(p->text(bin.lhs->span), "(a or  b)");
  const auto& eq = std::get<BinaryExpr>(bin.rhs->node);
  const auto& name = std::get<NameExpr>(eq.lhs->node).name;
  EXPECT_EQ(p->text(name.span), "seller.country");
  ASSERT_EQ(name.parts.size(), 2u);
  EXPECT_EQ(p->text(name.parts[0].span), "seller");
  EXPECT_EQ(p->text(name.parts[1].span), "country");
  const auto& rule = std::get<RuleDecl>(p->file.decls[0]);
  EXPECT_EQ(p->text(rule.name.span), "r");
  EXPECT_EQ(p->text(rule.span), p->source->text());
}

TEST(Parser, TermsPrefixFuzzyAndAttributes) {
  auto p = parse_text(
      "lexicon l {\n"
      "  \"tusk*\", \"ivory\"~1 @en weight 0.5 note \"typos\"\n"
      "  \"象牙\" @zh\n"
      "}\n");
  ASSERT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  const auto& lex = std::get<LexiconDecl>(p->file.decls.at(0));
  const auto& groups = std::get<LexiconInline>(lex.body->node).groups;
  ASSERT_EQ(groups.size(), 2u);
  ASSERT_EQ(groups[0].terms.size(), 2u);
  EXPECT_EQ(groups[0].terms[0].text, "tusk");
  EXPECT_TRUE(groups[0].terms[0].prefix);
  EXPECT_EQ(groups[0].terms[0].edit_distance, 0);
  EXPECT_EQ(groups[0].terms[1].text, "ivory");
  EXPECT_FALSE(groups[0].terms[1].prefix);
  EXPECT_EQ(groups[0].terms[1].edit_distance, 1);
  EXPECT_EQ(p->text(groups[0].terms[1].span), "\"ivory\"~1");
  EXPECT_EQ(groups[0].lang->name, "en");
  EXPECT_EQ(p->text(groups[0].lang->span), "@en");
  EXPECT_DOUBLE_EQ(groups[0].weight->value, 0.5);
  EXPECT_EQ(groups[0].note->value, "typos");
  EXPECT_EQ(groups[1].terms[0].text, "象牙");
  EXPECT_EQ(groups[1].lang->name, "zh");
}

TEST(Parser, LexiconAlgebraIsLeftAssociative) {
  auto p = parse_text("lexicon all profile evasive = a + std.x.y - (c + load(\"l.yaml\")) + { \"z\" }");
  ASSERT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  const auto& lex = std::get<LexiconDecl>(p->file.decls.at(0));
  EXPECT_EQ(lex.profile->name, "evasive");
  const auto& top = std::get<LexiconBinary>(lex.body->node);  // ((a + std.x.y) - (...)) + {z}
  EXPECT_EQ(top.op, LexiconOp::kUnion);
  EXPECT_TRUE(std::holds_alternative<LexiconInline>(top.rhs->node));
  const auto& diff = std::get<LexiconBinary>(top.lhs->node);
  EXPECT_EQ(diff.op, LexiconOp::kDifference);
  EXPECT_EQ(p->text(diff.rhs->span), "(c + load(\"l.yaml\"))");
  const auto& inner = std::get<LexiconBinary>(diff.rhs->node);
  EXPECT_EQ(std::get<LexiconLoad>(inner.rhs->node).path.value, "l.yaml");
}

TEST(Parser, NegativeScoresAndNumbers) {
  auto p =
      parse_text("rule r { when a score -40 }\ntest \"t\" { listing { price: -3.5 } expect score >= -10 }");
  ASSERT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  const auto& rule = std::get<RuleDecl>(p->file.decls.at(0));
  EXPECT_DOUBLE_EQ(rule.score->value, -40);
  EXPECT_EQ(rule.score->text, "-40");
  EXPECT_EQ(p->text(rule.score->span), "-40");
  const auto& test = std::get<TestDecl>(p->file.decls.at(1));
  const auto& fields = std::get<std::vector<ListingField>>(test.listing.value);
  EXPECT_DOUBLE_EQ(std::get<NumberLit>(fields.at(0).value.value).value, -3.5);
  EXPECT_EQ(test.expectations.at(0).kind, Expectation::Kind::kScore);
  EXPECT_EQ(test.expectations.at(0).compare, BinaryOp::kGe);
  EXPECT_DOUBLE_EQ(test.expectations.at(0).number->value, -10);
}

TEST(Parser, StringEscapesDecode) {
  auto p = parse_text(R"(rule r { when a reason "q\" b\\ n\n t\t \u{8C61}\u{7259} \u{1F418}" })");
  ASSERT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  EXPECT_EQ(std::get<RuleDecl>(p->file.decls.at(0)).reason->value, "q\" b\\ n\n t\t 象牙 \xF0\x9F\x90\x98");
}

TEST(Parser, LexicalErrorsHaveTheirOwnCodesAndSpans) {
  struct Case {
    std::string text;
    std::string code;
    std::string underlined;
  };
  const Case cases[] = {
      {"rule r { when a reason \"open\n}\n", "E003", "\"open"},
      {"regex w = /\\d+ kg\n", "E004", "/\\d+ kg"},
      {"rule r { when a }\n/* never closed\nrule s { when b }\n", "E005", "/*"},
      {"rule r { when a reason \"bad \\q escape\" }", "E006", "\\q"},
      {"rule r { when a reason \"\\u{110000}\" }", "E006", "\\u{110000}"},
      {"rule r { when a score 12abc }", "E007", "12abc"},
      {"rule r { when a score 1. }", "E007", "1."},
      {"lexicon l { \"a\"~9 }", "E007", "9"},
      {"regex w = /x/g", "E001", "g"},
  };
  for (const auto& c : cases) {
    auto p = parse_text(c.text);
    ASSERT_EQ(p->codes(), std::vector<std::string>{c.code}) << c.text << "\n"
                                                            << base::render_text(p->diags, p->sources);
    EXPECT_EQ(p->text(p->diags.all()[0].primary.span), c.underlined) << c.text;
  }
}

TEST(Parser, MissingWhenIsASpecificError) {
  auto p = parse_text("rule r { score 3 }\nrule s { when a }");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->diags.all()[0].message, "rule `r` has no `when` clause");
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "r");
  ASSERT_EQ(p->file.decls.size(), 1u);  // the rule without a condition is not in the tree
  EXPECT_EQ(std::get<RuleDecl>(p->file.decls[0]).name.name, "s");
}

TEST(Parser, DuplicateClausesAreReportedAndParsingGoesOn) {
  auto p = parse_text("rule r { when a score 1 score 2 }");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "score");
  EXPECT_EQ(p->diags.all()[0].primary.span.begin, 24u);
  ASSERT_EQ(p->diags.all()[0].secondary.size(), 1u);
  EXPECT_EQ(p->diags.all()[0].secondary[0].span.begin, 16u);
  EXPECT_EQ(p->file.decls.size(), 1u);
}

TEST(Parser, ReservedWordAsNameGetsAHint) {
  auto p = parse_text("rule when { when a }");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->diags.all()[0].message, "expected a rule name after `rule`, found `when`");
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "when");
  ASSERT_TRUE(p->diags.all()[0].help.has_value());
  EXPECT_NE(p->diags.all()[0].help->find("reserved word"), std::string::npos);
}

TEST(Parser, RecoveryReportsEveryErrorAndKeepsGoodDeclarations) {
  auto p = parse_text(
      "rule a { when x score }\n"  // error 1: score without a number
      "rule b { when y }\n"
      "lexicon l { \"t\" @ }\n"  // error 2: `@` without a language
      "  rule inside_indentation { when z }\n"
      "rule c { when (p or q }\n"  // error 3: unclosed parenthesis
      "test \"t\" { listing {} expect block }\n");
  ASSERT_EQ(p->codes(), (std::vector<std::string>{"E001", "E001", "E001"}))
      << base::render_text(p->diags, p->sources);
  EXPECT_EQ(p->diags.all()[0].message, "expected a number after `score`, found `}`");
  EXPECT_EQ(p->diags.all()[1].message, "expected a language code after `@`, found `}`");
  EXPECT_EQ(p->diags.all()[2].message, "expected `)` to close the parenthesis, found `}`");
  ASSERT_EQ(p->file.decls.size(), 3u);
  EXPECT_EQ(std::get<RuleDecl>(p->file.decls[0]).name.name, "b");
  EXPECT_EQ(std::get<RuleDecl>(p->file.decls[1]).name.name, "inside_indentation");
  EXPECT_TRUE(std::holds_alternative<TestDecl>(p->file.decls[2]));
}

TEST(Parser, ErrorAtEndOfFileIsReportedOnce) {
  auto p = parse_text("rule a { when x");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(
      p->diags.all()[0].message,
      "expected a clause (`when`, `score`, `reason`, `tag`, `message`) or `}`, found the end of the file");
}

TEST(Parser, DeepParenthesesHitTheDepthLimitNotTheStack) {
  const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
  auto p = parse_when(deep);
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E002"});
  // The 65th `(` crosses the default limit of 64.
  EXPECT_EQ(p->diags.all()[0].primary.span.begin, std::string("rule r { when ").size() + 64);
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "(");
}

TEST(Parser, DeepNotChainHitsTheDepthLimit) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "not ";
  auto p = parse_when(deep + "a");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E002"});
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "not");
}

TEST(Parser, DeepListingHitsTheDepthLimit) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{a: [";
  auto p = parse_text("test \"t\" { listing " + deep + " }");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E002"});
}

TEST(Parser, NestingUpToTheLimitIsAccepted) {
  ParseOptions options;
  options.max_nesting_depth = 10;
  const std::string ok = std::string(10, '(') + "a" + std::string(10, ')');
  auto p = parse_text("rule r { when " + ok + " }", options);
  EXPECT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  const std::string too_deep = std::string(11, '(') + "a" + std::string(11, ')');
  auto q = parse_text("rule r { when " + too_deep + " }", options);
  EXPECT_EQ(q->codes(), std::vector<std::string>{"E002"});
}

TEST(Parser, HeadersUseAndMisplacedHeader) {
  auto p = parse_text(
      "module std.wildlife.ivory\nuse \"shared/terms.tusk\"\nuse std.alternatives\npack x version \"1\"\n");
  ASSERT_TRUE(p->file.module.has_value());
  EXPECT_EQ(p->file.module->name.str(), "std.wildlife.ivory");
  ASSERT_EQ(p->file.decls.size(), 2u);
  EXPECT_EQ(std::get<UseDecl>(p->file.decls[0]).path->value, "shared/terms.tusk");
  EXPECT_EQ(std::get<UseDecl>(p->file.decls[1]).module->str(), "std.alternatives");
  ASSERT_EQ(p->codes(), std::vector<std::string>{"E001"});
  EXPECT_EQ(p->text(p->diags.all()[0].primary.span), "pack");
}

TEST(Parser, DecideSuggestAlternativeAndExpectations) {
  auto p = parse_text(
      "decide { block when score >= 80 message \"no\" review when x allow otherwise }\n"
      "suggest \"Try tagua\" when x\n"
      "alternative tagua { \"Tagua nut\" @en \"Tagua\" }\n"
      "test \"t\" { listing { \"odd key\": [1, true, null, {message: \"m\"}], } expect block expect fired "
      "a.b\n"
      "  expect not fired c expect score != 3 expect tag \"x\" expect suggest d expect evidence \"象牙\" "
      "}\n");
  ASSERT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  const auto& decide = std::get<DecideDecl>(p->file.decls.at(0));
  ASSERT_EQ(decide.branches.size(), 3u);
  EXPECT_EQ(decide.branches[0].action, stdlib::Action::kBlock);
  EXPECT_EQ(decide.branches[0].message->value, "no");
  EXPECT_EQ(decide.branches[2].action, stdlib::Action::kAllow);
  EXPECT_EQ(decide.branches[2].when, nullptr);
  EXPECT_EQ(std::get<SuggestDecl>(p->file.decls.at(1)).text->value, "Try tagua");
  const auto& alt = std::get<AlternativeDecl>(p->file.decls.at(2));
  ASSERT_EQ(alt.texts.size(), 2u);
  EXPECT_EQ(alt.texts[0].lang->name, "en");
  EXPECT_FALSE(alt.texts[1].lang.has_value());
  const auto& test = std::get<TestDecl>(p->file.decls.at(3));
  const auto& fields = std::get<std::vector<ListingField>>(test.listing.value);
  EXPECT_EQ(fields.at(0).key.name, "odd key");
  EXPECT_EQ(std::get<std::vector<ListingValue>>(fields.at(0).value.value).size(), 4u);
  using K = Expectation::Kind;
  std::vector<K> kinds;
  for (const auto& e : test.expectations) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<K>{K::kAction, K::kFired, K::kNotFired, K::kScore, K::kTag, K::kSuggestion,
                                   K::kEvidence}));
  EXPECT_EQ(test.expectations[1].name->str(), "a.b");
  EXPECT_EQ(test.expectations[6].text->value, "象牙");
}

TEST(Parser, ByteOrderMarkIsSkipped) {
  auto p = parse_text("\xEF\xBB\xBFpack p version \"1\"\nrule r { when a }");
  EXPECT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  ASSERT_TRUE(p->file.pack.has_value());
  EXPECT_EQ(p->text(p->file.pack->span), "pack p version \"1\"");
}

TEST(Parser, TheExamplePackParsesCleanly) {
  base::SourceManager sources;
  std::ifstream in(std::string(TUSK_SOURCE_DIR) + "/examples/packs/ivory/ivory.tusk");
  ASSERT_TRUE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto& file = sources.add("ivory.tusk", text);
  base::Diagnostics diags;
  const File ast = parse(file, diags);
  EXPECT_FALSE(diags.has_errors()) << base::render_text(diags, sources);
  ASSERT_TRUE(ast.pack.has_value());
  EXPECT_EQ(ast.pack->name.str(), "wildlife.ivory");
  EXPECT_EQ(ast.pack->version.value, "1.2.0");
  EXPECT_GE(ast.decls.size(), 15u);
}

TEST(Parser, AccountDeclarationsAndStateReads) {
  auto p = parse_text(R"(entity seller = seller.id
counter blocked of seller counts action == block over 30 days
counter posts of seller counts every listing over 1 hour
counter kinds of seller counts distinct category when action != allow over 7 days
label seller "offender" for 180 days when action == block and seller has label "x"
decide account of seller { suspend when count(blocked) >= 2  none otherwise }
test "seq" { listing { id: "a" } expect block listing { id: "b" } expect account suspend }
)");
  ASSERT_EQ(p->codes().size(), 0u) << p->codes().front();
  ASSERT_EQ(p->file.decls.size(), 7u);
  const auto& blocked = std::get<CounterDecl>(p->file.decls[1]);
  EXPECT_EQ(blocked.kind, CounterDecl::Kind::kWhen);
  EXPECT_EQ(sexpr(*blocked.when), "(== action (action block))");
  EXPECT_EQ(blocked.window.amount.value, 30);
  EXPECT_EQ(blocked.window.unit.name, "days");
  EXPECT_EQ(std::get<CounterDecl>(p->file.decls[2]).kind, CounterDecl::Kind::kEvery);
  const auto& kinds = std::get<CounterDecl>(p->file.decls[3]);
  EXPECT_EQ(kinds.kind, CounterDecl::Kind::kDistinct);
  EXPECT_EQ(kinds.distinct->str(), "category");
  ASSERT_TRUE(kinds.when);
  const auto& label = std::get<LabelDecl>(p->file.decls[4]);
  EXPECT_EQ(label.name.value, "offender");
  EXPECT_EQ(sexpr(*label.when), "(and (== action (action block)) (has-label seller x))");
  const auto& account = std::get<AccountDecideDecl>(p->file.decls[5]);
  EXPECT_EQ(account.entity.name, "seller");
  ASSERT_EQ(account.branches.size(), 2u);
  EXPECT_EQ(account.branches[0].action, stdlib::AccountAction::kSuspend);
  EXPECT_EQ(account.branches[1].when, nullptr);
  const auto& test = std::get<TestDecl>(p->file.decls[6]);
  ASSERT_EQ(test.expectations.size(), 1u);
  ASSERT_EQ(test.more.size(), 1u);
  ASSERT_EQ(test.more[0].expectations.size(), 1u);
  EXPECT_EQ(test.more[0].expectations[0].kind, Expectation::Kind::kAccount);
  EXPECT_EQ(test.more[0].expectations[0].account, stdlib::AccountAction::kSuspend);
}

TEST(Parser, AccountWordsStayOrdinaryNames) {
  // `entity`, `counter`, `label`, `over`, `none`... are words only where accounts put them.
  auto p = parse_text(R"(rule label { when entity and counter or over == none  score 1 }
)");
  EXPECT_EQ(p->codes().size(), 0u) << p->codes().front();
}
}  // namespace
}  // namespace tusk::dsl
