#include "tests/support/random_pack.h"

#include <fstream>

#include <fmt/format.h>

namespace tusk::testing {
namespace {

// Terms that the generated listings use too, so that lexicons hit often enough to matter.
const std::vector<std::string> kWords = {"ivory", "tusk",    "tusks",  "horn",  "scale",   "bone",
                                         "resin", "carving", "bangle", "white", "plastic", "old",
                                         "rare",  "faux",    "象牙",   "犀角"};
const std::vector<std::string> kTerms = {
    "\"ivory\"",  "\"tusk*\"",         "\"horn\"", "\"scale\"", "\"bone\"", "\"resin\"",  "\"carving\"",
    "\"bangle\"", "\"white plastic\"", "\"faux\"", "\"象牙\"",  "\"犀角\"", "\"ivroy\"~1"};
const std::vector<std::string> kCategories = {"antiques", "art", "jewelry", "toys", "books"};
const std::vector<std::string> kTextFields = {"title", "description", "seller.bio", "text"};
const std::vector<std::string> kScalarText = {"category", "location", "title"};
const std::vector<std::string> kNumbers = {"qty", "age"};
const std::vector<std::string> kMoney = {"price", "deposit"};
const std::vector<std::string> kCurrencies = {"USD", "EUR", "CNY", "JPY"};
const std::vector<std::string> kCmp = {"==", "!=", "<", "<=", ">", ">="};
const std::vector<std::string> kArith = {"+", "-", "*", "/"};

constexpr int kLexicons = 3;

std::string number_literal(Choices& c) {
  static const std::vector<std::string> kLits = {"0",  "1",   "2",   "3",    "5",  "10",
                                                 "20", "0.5", "100", "1000", "2.5"};
  return c.pick(kLits);
}

class ExprGen {
 public:
  ExprGen(Choices& c, int rules_before, int max_depth)
      : c_(c), rules_before_(rules_before), max_depth_(max_depth) {}

  // Account state: the counters c0..c{counters-1} and labels l0..l{labels-1} of `seller` may
  // be read; `post` allows `action` (counter predicates, labels, `decide account`).
  void accounts(int counters, int labels, bool post) {
    counters_ = counters;
    labels_ = labels;
    post_ = post;
  }

  std::string boolean(int depth, bool in_decide) {
    if (depth < max_depth_ && c_.chance(40)) {
      switch (c_.below(3)) {
        case 0:
          return fmt::format("not {}", paren(boolean(depth + 1, in_decide)));
        case 1:
          return fmt::format("({} and {})", boolean(depth + 1, in_decide), boolean(depth + 1, in_decide));
        default:
          return fmt::format("({} or {})", boolean(depth + 1, in_decide), boolean(depth + 1, in_decide));
      }
    }
    return leaf(depth, in_decide);
  }

 private:
  static std::string paren(const std::string& s) { return "(" + s + ")"; }
  std::string lexicon() { return fmt::format("lex{}", c_.below(kLexicons)); }

  std::string number(int depth) {
    if (depth < max_depth_ && c_.chance(30)) {
      if (c_.chance(15)) return fmt::format("-{}", paren(number(depth + 1)));
      return fmt::format("({} {} {})", number(depth + 1), c_.pick(kArith), number(depth + 1));
    }
    switch (c_.below(7)) {
      case 0:
      case 1:
        return c_.pick(kNumbers);
      case 2:
        return number_literal(c_);
      case 3:
        if (c_.chance(25)) return fmt::format("count_distinct({}, {})", c_.pick(kTextFields), lexicon());
        return fmt::format("count({}, {})", c_.pick(kTextFields), c_.chance(20) ? "weight_re" : lexicon());
      case 4:
        return fmt::format("weight_kg({})", c_.pick(kTextFields));
      case 5:
        return fmt::format("len({})", c_.pick(kTextFields));
      default:
        return fmt::format("{} in {}", money(), c_.pick(kCurrencies));
    }
  }

  std::string money() {
    if (c_.chance(20)) return fmt::format("per_kg({}, {})", c_.pick(kMoney), c_.pick(kTextFields));
    return c_.pick(kMoney);
  }

  std::string leaf(int depth, bool in_decide) {
    if ((counters_ > 0 || labels_ > 0 || post_) && c_.chance(30)) {
      switch (c_.below(3)) {
        case 0:
          if (counters_ > 0) {
            return fmt::format("count(c{}) {} {}", c_.below(static_cast<std::uint64_t>(counters_)),
                               c_.pick(kCmp), c_.pick(std::vector<std::string>{"0", "1", "2", "3", "5"}));
          }
          break;
        case 1:
          if (labels_ > 0) {
            return fmt::format("seller has label \"l{}\"", c_.below(static_cast<std::uint64_t>(labels_)));
          }
          break;
        default:
          if (post_) {
            return fmt::format("action {} {}", c_.chance(70) ? "==" : "!=",
                               c_.pick(std::vector<std::string>{"block", "review", "allow"}));
          }
      }
    }
    const std::uint64_t kinds = in_decide ? 14 : 12;
    switch (c_.below(kinds)) {
      case 0:
      case 1:
        return fmt::format("{} mentions {}", c_.pick(kTextFields), lexicon());
      case 2:
        return fmt::format("{} matches weight_re", c_.pick(kTextFields));
      case 3: {
        std::string set = fmt::format("\"{}\"", c_.pick(kCategories));
        for (std::uint64_t i = c_.below(3); i > 0; --i) set += fmt::format(", \"{}\"", c_.pick(kCategories));
        return fmt::format("{} in {{{}}}", c_.pick(kScalarText), set);
      }
      case 4:
        return fmt::format("has({})", c_.chance(50) ? c_.pick(kNumbers) : c_.pick(kMoney));
      case 5:
      case 6:
        return fmt::format("{} {} {}", number(depth + 1), c_.pick(kCmp), number(depth + 1));
      case 7:
        return fmt::format("near({}, {}, {}, within {} words)", c_.pick(kTextFields), lexicon(), lexicon(),
                           1 + c_.below(6));
      case 8:
        return fmt::format("{} {} {}", c_.pick(kScalarText),
                           c_.chance(50) ? "==" : "!=", c_.pick(kScalarText));
      case 9:
        return c_.chance(50) ? "true" : "false";
      case 10:
      case 11:
        if (rules_before_ > 0) return fmt::format("r{}", c_.below(rules_before_));
        return fmt::format("{} mentions {}", c_.pick(kTextFields), lexicon());
      default:
        return fmt::format("score {} {}", c_.pick(kCmp),
                           c_.pick(std::vector<std::string>{"0", "10", "40", "80", "-5"}));
    }
  }

  Choices& c_;
  int rules_before_;
  int max_depth_;
  int counters_ = 0, labels_ = 0;
  bool post_ = false;
};

std::string json_string(const std::string& s) { return fmt::format("\"{}\"", s); }

std::string random_text(Choices& c, int max_words) {
  static const std::vector<std::string> kExtra = {"2 kg", "500 g", "1.5kg",   "3斤",     "for",  "sale",
                                                  "a",    "the",   "mammoth", "antique", "10 kg"};
  std::string out;
  for (std::uint64_t i = c.below(static_cast<std::uint64_t>(max_words) + 1); i > 0; --i) {
    if (!out.empty()) out += ' ';
    out += c.chance(70) ? c.pick(kWords) : c.pick(kExtra);
  }
  return out;
}

std::string random_number(Choices& c) {
  static const std::vector<std::string> kValues = {"0",     "1",  "2",    "-1",    "0.5", "3",         "10",
                                                   "19.99", "20", "1000", "1e308", "-0",  "123456789", "2.5"};
  return c.pick(kValues);
}

}  // namespace

std::string RandomPack::source() const {
  std::string out = "pack rnd version \"1.0.0\"\n\n";
  for (const auto& d : decls) out += d + "\n";
  out += "\n";
  for (const auto& [name, text] : rules) out += text + "\n";
  if (!branches.empty()) {
    out += "decide {\n";
    for (const auto& b : branches) out += "  " + b + "\n";
    out += "}\n";
  }
  for (const auto& s : suggestions) out += s + "\n";
  if (!account_branches.empty()) {
    out += "decide account of seller {\n";
    for (const auto& b : account_branches) out += "  " + b + "\n";
    out += "}\n";
  }
  return out;
}

std::filesystem::path RandomPack::write(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pack.yaml", std::ios::binary | std::ios::trunc) << manifest;
  std::ofstream(dir / "main.tusk", std::ios::binary | std::ios::trunc) << source();
  return dir;
}

RandomPack random_pack(Choices& c, const RandomPackOptions& options) {
  RandomPack p;
  p.manifest =
      "name: rnd\nversion: \"1.0.0\"\nsources: [main.tusk]\n"
      "fields:\n  qty: number\n  age: number\n  deposit: money\n  seller.bio: { type: text, in_text: true }\n"
      "currency:\n  base: USD\n  as_of: 2025-01-02\n  rates:\n    USD: 1\n    EUR: 1.035\n    CNY: 0.1366\n"
      "    JPY: 0.00636\n";
  for (int l = 0; l < kLexicons; ++l) {
    std::string terms = c.pick(kTerms);
    for (std::uint64_t i = c.below(3); i > 0; --i) {
      const std::string& t = c.pick(kTerms);
      if (terms.find(t) == std::string::npos) terms += ", " + t;
    }
    p.decls.push_back(fmt::format("lexicon lex{} {{ {} }}", l, terms));
  }
  p.decls.push_back("regex weight_re = /\\d+\\s?(kg|g)/");
  const int rules = 1 + static_cast<int>(c.below(static_cast<std::uint64_t>(std::max(1, options.rules))));
  // Accounts: declared before the rules so that any condition may read them.
  int counters = 0, labels = 0;
  const bool accounts = c.chance(options.accounts_percent);
  if (accounts) {
    p.decls.push_back("entity seller = seller.id");
    counters = 1 + static_cast<int>(c.below(3));
    labels = static_cast<int>(c.below(2));
    for (int k = 0; k < counters; ++k) {
      static const std::vector<std::string> kWindows = {"1 hour", "30 minutes", "2 days", "90 seconds",
                                                        "400 days"};
      const std::string window = c.pick(kWindows);
      switch (c.below(3)) {
        case 0:
          p.decls.push_back(fmt::format("counter c{} of seller counts every listing over {}", k, window));
          break;
        case 1:
          p.decls.push_back(fmt::format("counter c{} of seller counts distinct category over {}", k, window));
          break;
        default: {
          ExprGen gen(c, rules, options.max_depth);
          gen.accounts(counters, 0, true);
          p.decls.push_back(
              fmt::format("counter c{} of seller counts {} over {}", k, gen.boolean(1, false), window));
        }
      }
    }
    for (int k = 0; k < labels; ++k) {
      ExprGen gen(c, rules, options.max_depth);
      gen.accounts(counters, 0, true);
      p.decls.push_back(fmt::format("label seller \"l{}\" for {} when {}", k,
                                    c.pick(std::vector<std::string>{"1 hour", "1 day"}),
                                    gen.boolean(1, false)));
    }
  }
  for (int r = 0; r < rules; ++r) {
    ExprGen gen(c, r, options.max_depth);
    gen.accounts(counters, labels, false);
    const std::string when = gen.boolean(0, false);
    const std::string score =
        c.chance(80)
            ? fmt::format("{}{}", c.chance(25) ? "-" : "",
                          c.pick(std::vector<std::string>{"5", "10", "20", "25", "40", "50", "0.5", "12.25"}))
            : "0";
    p.rules.emplace_back(fmt::format("r{}", r),
                         fmt::format("rule r{} {{\n  when {}\n  score {}\n}}", r, when, score));
  }
  if (options.decide) {
    ExprGen gen(c, rules, options.max_depth);
    gen.accounts(counters, labels, false);
    p.branches.push_back(fmt::format("block when {}", gen.boolean(1, true)));
    if (c.chance(70)) p.branches.push_back(fmt::format("review when {}", gen.boolean(1, true)));
    if (c.chance(60)) p.branches.push_back("allow otherwise");
  }
  for (int s = 0; s < options.suggestions; ++s) {
    if (!c.chance(60)) continue;
    ExprGen gen(c, rules, options.max_depth);
    p.suggestions.push_back(fmt::format("suggest \"alternative {}\" when {}", s, gen.boolean(1, false)));
  }
  if (accounts && options.decide && c.chance(70)) {
    ExprGen gen(c, rules, options.max_depth);
    gen.accounts(counters, labels, true);
    p.account_branches.push_back(fmt::format("suspend when {}", gen.boolean(1, true)));
    if (c.chance(70)) p.account_branches.push_back(fmt::format("watch when {}", gen.boolean(1, true)));
    if (c.chance(60)) p.account_branches.push_back("none otherwise");
  }
  return p;
}

std::string RandomListing::json() const {
  std::string out = "{";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += ",";
    out += fmt::format("\"{}\":{}", members[i].first, members[i].second);
  }
  return out + "}";
}

RandomListing random_listing(Choices& c) {
  RandomListing l;
  l.members.emplace_back("id", json_string(fmt::format("L{}", c.below(1000000))));
  if (c.chance(90)) l.members.emplace_back("title", json_string(random_text(c, 6)));
  if (c.chance(70)) l.members.emplace_back("description", json_string(random_text(c, 14)));
  // A few sellers, so that account state builds up over a pack's listings.
  if (c.chance(70)) {
    std::string seller = fmt::format("\"id\":\"s{}\"", c.below(4));
    if (c.chance(30)) seller += fmt::format(",\"bio\":{}", json_string(random_text(c, 5)));
    l.members.emplace_back("seller", "{" + seller + "}");
  } else if (c.chance(30)) {
    l.members.emplace_back("seller", fmt::format("{{\"bio\":{}}}", json_string(random_text(c, 5))));
  }
  if (c.chance(85)) {
    // Mostly well-formed times within a few days; now and then a malformed one (an error verdict
    // for a stateful pack, ignored by a stateless one).
    l.members.emplace_back(
        "posted_at", c.chance(97) ? json_string(fmt::format("2026-01-0{}T{:02}:{:02}:{:02}Z", 1 + c.below(3),
                                                            c.below(24), c.below(60), c.below(60)))
                                  : json_string("2026-13-01 10:00"));
  }
  if (c.chance(70)) {
    l.members.emplace_back("category", json_string(c.chance(85) ? c.pick(kCategories) : "ANTIQUES"));
  }
  if (c.chance(30)) {
    l.members.emplace_back("location", json_string(c.chance(50) ? c.pick(kCategories) : "Lagos"));
  }
  if (c.chance(80)) l.members.emplace_back("price", c.chance(5) ? "null" : random_number(c));
  if (c.chance(40)) l.members.emplace_back("deposit", random_number(c));
  if (c.chance(85)) {
    static const std::vector<std::string> kCodes = {"USD", "EUR", "CNY", "JPY", "XXX", "usd"};
    l.members.emplace_back("currency", json_string(c.pick(kCodes)));
  }
  if (c.chance(60)) l.members.emplace_back("qty", random_number(c));
  if (c.chance(60)) l.members.emplace_back("age", random_number(c));
  return l;
}

}  // namespace tusk::testing
