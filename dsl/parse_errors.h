// Error messages of the grammar's commit points and the PEGTL control class that raises them.
// Every rule that appears in `must<>` or `raise<>` has an entry here; the control class
// refuses to compile a raise without one, so no commit point can fall back to PEGTL's
// generic "parse error matching ..." text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <tao/pegtl.hpp>

#include "base/diagnostic.h"
#include "dsl/grammar.h"

namespace tusk::dsl::parse_errors {

// A syntax error on its way from the grammar or an action to the recovery loop in parser.cpp.
// It never leaves parser.cpp: parse() turns it into a base::Diagnostic.
struct SyntaxError {
  base::DiagCode code = base::DiagCode::kSyntax;
  std::string message;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string label;
  std::optional<std::string> help;
  // A suggested edit: replace [fix_begin, fix_end) with fix_text.
  std::optional<std::string> fix_text = std::nullopt;
  std::uint32_t fix_begin = 0;
  std::uint32_t fix_end = 0;
};

// Which text the caret goes under.
enum class SpanKind {
  kToken,    // the token found where something else was expected
  kString,   // from the opening quote to the end of the line (E003)
  kRegex,    // from the opening slash to the end of the line (E004)
  kComment,  // the `/*` that is never closed (E005)
  kEscape,   // the backslash and the character after it (E006)
  kNumber,   // the whole malformed number (E007)
};

struct ErrorInfo {
  base::DiagCode code = base::DiagCode::kSyntax;
  const char* message = nullptr;
  const char* help = nullptr;
  SpanKind span = SpanKind::kToken;
  bool wants_name = false;  // a reserved word found here gets a "reserved word" hint
};

template <typename Rule>
inline constexpr ErrorInfo kError{};

#define TUSK_SYNTAX_ERROR(rule, ...)                 \
  template <>                                        \
  inline constexpr ErrorInfo kError<grammar::rule> { \
    __VA_ARGS__                                      \
  }

using enum base::DiagCode;
using enum SpanKind;
namespace g = grammar;

// ---- lexical (E003-E007)
TUSK_SYNTAX_ERROR(unterminated_string, kUnterminatedString, "unterminated string",
                  "close the string with `\"` on the same line; write a line break as \\n", kString);
TUSK_SYNTAX_ERROR(unterminated_regex, kUnterminatedRegex, "unterminated regex literal",
                  "close the regex with `/` on the same line; write a literal slash as \\/", kRegex);
TUSK_SYNTAX_ERROR(block_comment_body, kUnterminatedComment, "unterminated block comment",
                  "close the comment with `*/`; block comments do not nest", kComment);
TUSK_SYNTAX_ERROR(bad_escape, kInvalidEscape, "invalid escape sequence",
                  "strings allow \\\" \\\\ \\n \\t and \\u{XXXX}", kEscape);
TUSK_SYNTAX_ERROR(bad_fraction, kInvalidNumber, "expected digits after the decimal point",
                  "write `1.0` or `1`", kNumber);
TUSK_SYNTAX_ERROR(bad_number_tail, kInvalidNumber, "a number cannot go on with letters or a second `.`",
                  "a number is digits with an optional fraction, like 12 or 0.8", kNumber);
TUSK_SYNTAX_ERROR(bad_regex_flag, kSyntax, "unknown regex flag", "regex flags are i, s, m and x");
TUSK_SYNTAX_ERROR(qname_part, kSyntax, "expected a name after `.`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(ident_chars, kSyntax, "expected a language code after `@`", "write it like @en or @zh");

// ---- expressions
TUSK_SYNTAX_ERROR(paren_inner, kSyntax, "expected an expression after `(`");
TUSK_SYNTAX_ERROR(paren_close, kSyntax, "expected `)` to close the parenthesis");
TUSK_SYNTAX_ERROR(within_distance, kSyntax, "expected a distance after `within`", "write `within 6 words`");
TUSK_SYNTAX_ERROR(within_unit, kSyntax, "expected a unit after the `within` distance",
                  "write `within 6 words`");
TUSK_SYNTAX_ERROR(call_item, kSyntax, "expected an argument after `,`");
TUSK_SYNTAX_ERROR(call_close, kSyntax, "expected `,` or `)` in the argument list",
                  "`within N words` must be the last argument");
TUSK_SYNTAX_ERROR(neg_operand, kSyntax, "expected an operand after `-`");
TUSK_SYNTAX_ERROR(mul_rhs, kSyntax, "expected an operand after the operator");
TUSK_SYNTAX_ERROR(add_rhs, kSyntax, "expected an operand after the operator");
TUSK_SYNTAX_ERROR(single_equals, kSyntax, "`=` is not a comparison; use `==`");
TUSK_SYNTAX_ERROR(rel_rhs, kSyntax, "expected an operand after the comparison operator");
TUSK_SYNTAX_ERROR(set_open, kSyntax, "expected `{` after `in`",
                  "write a set like `category in {\"antiques\", \"art\"}` or a currency like `price in USD`");
TUSK_SYNTAX_ERROR(set_elem, kSyntax, "expected a set element");
TUSK_SYNTAX_ERROR(set_close, kSyntax, "expected `,` or `}` in the set");
TUSK_SYNTAX_ERROR(mentions_rhs, kSyntax, "expected a lexicon after `mentions`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(matches_rhs, kSyntax, "expected a regex literal or a regex name after `matches`");
TUSK_SYNTAX_ERROR(chained_comparison, kSyntax, "comparisons do not chain; use `and`",
                  "write `a < b and b < c`");
TUSK_SYNTAX_ERROR(not_operand, kSyntax, "expected a condition after `not`");
TUSK_SYNTAX_ERROR(and_rhs, kSyntax, "expected a condition after `and`");
TUSK_SYNTAX_ERROR(or_rhs, kSyntax, "expected a condition after `or`");

// ---- lexicons
TUSK_SYNTAX_ERROR(term_distance, kSyntax, "expected an edit distance after `~`", "write it like \"ivory\"~1");
TUSK_SYNTAX_ERROR(term, kSyntax, "expected a term string after `,`");
TUSK_SYNTAX_ERROR(weight_value, kSyntax, "expected a number after `weight`");
TUSK_SYNTAX_ERROR(note_text, kSyntax, "expected a string after `note`");
TUSK_SYNTAX_ERROR(inline_close, kSyntax, "expected a term string or `}` in the lexicon",
                  "terms are strings: \"ivory\", \"tusk*\" @en weight 0.8");
TUSK_SYNTAX_ERROR(load_open, kSyntax, "expected `(` after `load`", "write `load(\"lexicons/file.yaml\")`");
TUSK_SYNTAX_ERROR(load_path, kSyntax, "expected a file path string in `load(...)`");
TUSK_SYNTAX_ERROR(load_close, kSyntax, "expected `)` after the path");
TUSK_SYNTAX_ERROR(lex_paren_inner, kSyntax, "expected a lexicon expression after `(`");
TUSK_SYNTAX_ERROR(lex_paren_close, kSyntax, "expected `)` to close the parenthesis");
TUSK_SYNTAX_ERROR(lex_rhs, kSyntax, "expected a lexicon after the operator",
                  "a lexicon is a name, `{ terms }`, `load(\"file\")` or a parenthesized combination");

// ---- declarations
TUSK_SYNTAX_ERROR(header_name, kSyntax, "expected a dotted name after `pack` or `module`", nullptr, kToken,
                  true);
TUSK_SYNTAX_ERROR(kw_version, kSyntax, "expected `version` after the pack name",
                  "write `pack wildlife.ivory version \"1.2.0\"`");
TUSK_SYNTAX_ERROR(pack_version, kSyntax, "expected a version string after `version`",
                  "write `version \"1.2.0\"`");
TUSK_SYNTAX_ERROR(use_target, kSyntax, "expected a module name or a file path string after `use`", nullptr,
                  kToken, true);
TUSK_SYNTAX_ERROR(lexicon_name, kSyntax, "expected a lexicon name after `lexicon`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(profile_name, kSyntax, "expected a profile name after `profile`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(lexicon_body, kSyntax, "expected `{` or `=` after the lexicon name",
                  "write `lexicon name { \"term\", ... }` or `lexicon name = other + { ... }`");
TUSK_SYNTAX_ERROR(lexicon_value, kSyntax, "expected a lexicon expression after `=`");
TUSK_SYNTAX_ERROR(regex_name, kSyntax, "expected a regex name after `regex`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(regex_equals, kSyntax, "expected `=` after the regex name");
TUSK_SYNTAX_ERROR(regex_value, kSyntax, "expected a regex literal like /.../i after `=`");
TUSK_SYNTAX_ERROR(rule_name, kSyntax, "expected a rule name after `rule`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(rule_open, kSyntax, "expected `{` after the rule name");
TUSK_SYNTAX_ERROR(rule_close, kSyntax,
                  "expected a clause (`when`, `score`, `reason`, `tag`, `message`) or `}`");
TUSK_SYNTAX_ERROR(when_expr, kSyntax, "expected a condition after `when`");
TUSK_SYNTAX_ERROR(score_value, kSyntax, "expected a number after `score`", "write `score 30` or `score -40`");
TUSK_SYNTAX_ERROR(reason_text, kSyntax, "expected a string after `reason`");
TUSK_SYNTAX_ERROR(tag_text, kSyntax, "expected a string after `tag`");
TUSK_SYNTAX_ERROR(message_text, kSyntax, "expected a string after `message`");
TUSK_SYNTAX_ERROR(decide_open, kSyntax, "expected `{` after `decide`");
TUSK_SYNTAX_ERROR(decide_close, kSyntax, "expected a branch (`block`, `review`, `allow`) or `}`");
TUSK_SYNTAX_ERROR(branch_condition, kSyntax, "expected `when` or `otherwise` after the action");
TUSK_SYNTAX_ERROR(branch_expr, kSyntax, "expected a condition after `when`");
TUSK_SYNTAX_ERROR(suggest_target, kSyntax, "expected an alternative name or a string after `suggest`",
                  nullptr, kToken, true);
TUSK_SYNTAX_ERROR(suggest_when, kSyntax, "expected `when` after the suggestion",
                  "write `suggest name when condition`");
TUSK_SYNTAX_ERROR(suggest_expr, kSyntax, "expected a condition after `when`");
TUSK_SYNTAX_ERROR(alternative_name, kSyntax, "expected an alternative name after `alternative`", nullptr,
                  kToken, true);
TUSK_SYNTAX_ERROR(alternative_open, kSyntax, "expected `{` after the alternative name");
TUSK_SYNTAX_ERROR(alternative_close, kSyntax, "expected a text string or `}` in the alternative");
TUSK_SYNTAX_ERROR(field_colon, kSyntax, "expected `:` after the field name");
TUSK_SYNTAX_ERROR(field_value, kSyntax, "expected a value after `:`",
                  "values are strings, numbers, true, false, null, {objects} and [arrays]");
TUSK_SYNTAX_ERROR(object_close, kSyntax, "expected `,` or `}` in the object");
TUSK_SYNTAX_ERROR(array_close, kSyntax, "expected `,` or `]` in the array");
TUSK_SYNTAX_ERROR(expect_name, kSyntax, "expected a name", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(kw_fired, kSyntax, "expected `fired` after `expect not`");
TUSK_SYNTAX_ERROR(expect_compare, kSyntax,
                  "expected a comparison (==, !=, <, <=, >, >=) after `expect score`");
TUSK_SYNTAX_ERROR(expect_number, kSyntax, "expected a number after the comparison");
TUSK_SYNTAX_ERROR(expect_text, kSyntax, "expected a string");
TUSK_SYNTAX_ERROR(
    expect_body, kSyntax, "expected what to expect after `expect`",
    "write an action (block, review, allow), `fired R`, `not fired R`, `score >= N`, `tag \"t\"`, "
    "`suggest A` or `evidence \"text\"`");
TUSK_SYNTAX_ERROR(test_name, kSyntax, "expected a test name string after `test`",
                  "write `test \"what it checks\" { ... }`");
TUSK_SYNTAX_ERROR(test_open, kSyntax, "expected `{` after the test name");
TUSK_SYNTAX_ERROR(kw_listing, kSyntax, "a test starts with `listing { ... }`");
TUSK_SYNTAX_ERROR(test_listing, kSyntax, "expected `{` after `listing`");
TUSK_SYNTAX_ERROR(test_close, kSyntax, "expected `expect` or `}` in the test");
TUSK_SYNTAX_ERROR(every_listing, kSyntax, "expected `listing` after `every`", "write `counts every listing`");
TUSK_SYNTAX_ERROR(step_listing, kSyntax, "expected `{` after `listing`");
TUSK_SYNTAX_ERROR(has_label_name, kSyntax, "expected a label name string after `has label`",
                  "write `seller has label \"wildlife_offender\"`");
TUSK_SYNTAX_ERROR(window_amount, kSyntax, "expected a number of seconds, minutes, hours or days",
                  "write `over 30 days` or `for 180 days`");
TUSK_SYNTAX_ERROR(window_unit, kSyntax, "expected a unit after the number",
                  "seconds, minutes, hours or days");
TUSK_SYNTAX_ERROR(entity_name, kSyntax, "expected an entity name after `entity`",
                  "write `entity seller = seller.id`", kToken, true);
TUSK_SYNTAX_ERROR(entity_equals, kSyntax, "expected `=` after the entity name",
                  "write `entity seller = seller.id`");
TUSK_SYNTAX_ERROR(entity_field, kSyntax, "expected the field that identifies the entity",
                  "write `entity seller = seller.id`", kToken, true);
TUSK_SYNTAX_ERROR(entity_ref, kSyntax, "expected an entity name",
                  "declare one with `entity seller = seller.id`", kToken, true);
TUSK_SYNTAX_ERROR(counter_name, kSyntax, "expected a counter name after `counter`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(kw_of, kSyntax, "expected `of` and an entity name",
                  "write `counter posts_1h of seller ...` or `decide account of seller { ... }`");
TUSK_SYNTAX_ERROR(kw_counts, kSyntax, "expected `counts` after the entity",
                  "write `counts every listing`, `counts distinct FIELD` or `counts CONDITION`");
TUSK_SYNTAX_ERROR(counts_what, kSyntax, "expected what the counter counts",
                  "write `every listing`, `distinct FIELD` or a condition");
TUSK_SYNTAX_ERROR(distinct_field, kSyntax, "expected a field after `distinct`", nullptr, kToken, true);
TUSK_SYNTAX_ERROR(distinct_when_expr, kSyntax, "expected a condition after `when`");
TUSK_SYNTAX_ERROR(kw_over, kSyntax, "expected `over` and the counter's window", "write `over 30 days`");
TUSK_SYNTAX_ERROR(label_name, kSyntax, "expected the label's name string",
                  "write `label seller \"offender\" for 180 days when ...`");
TUSK_SYNTAX_ERROR(kw_for, kSyntax, "expected `for` and the label's lifetime", "write `for 180 days`");
TUSK_SYNTAX_ERROR(kw_when, kSyntax, "expected `when` and the condition that sets the label");
TUSK_SYNTAX_ERROR(label_expr, kSyntax, "expected a condition after `when`");
TUSK_SYNTAX_ERROR(account_open, kSyntax, "expected `{` after `decide account of ENTITY`");
TUSK_SYNTAX_ERROR(account_close, kSyntax, "expected a branch (`suspend`, `watch`, `none`) or `}`");
TUSK_SYNTAX_ERROR(expect_account_word, kSyntax,
                  "expected `suspend`, `watch` or `none` after `expect account`");
TUSK_SYNTAX_ERROR(misplaced_header, kSyntax,
                  "the `pack` or `module` header must come before every declaration");
TUSK_SYNTAX_ERROR(
    decl, kSyntax, "expected a declaration",
    "declarations start with use, lexicon, regex, rule, decide, suggest, alternative, test, entity, "
    "counter or label");

#undef TUSK_SYNTAX_ERROR

// ---------------------------------------------------------------- token extents

inline bool is_ident_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

inline std::uint32_t utf8_length(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

// Skips whitespace and comments, as `sep` does (an unclosed comment runs to the end).
inline std::uint32_t skip_separators(std::string_view text, std::uint32_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      ++pos;
    } else if (text.substr(pos, 2) == "//") {
      while (pos < text.size() && text[pos] != '\n') ++pos;
    } else if (text.substr(pos, 2) == "/*") {
      const auto close = text.find("*/", pos + 2);
      pos = close == std::string_view::npos ? static_cast<std::uint32_t>(text.size())
                                            : static_cast<std::uint32_t>(close + 2);
    } else {
      break;
    }
  }
  return pos;
}

// End of the token that starts at `pos`: a word, a number, a string (to its quote or the end
// of the line), a two-character operator, or one code point.
inline std::uint32_t token_end(std::string_view text, std::uint32_t pos) {
  const auto size = static_cast<std::uint32_t>(text.size());
  if (pos >= size) return pos;
  const char c = text[pos];
  std::uint32_t end = pos;
  if (is_ident_byte(c)) {
    while (end < size && (is_ident_byte(text[end]) || (c >= '0' && c <= '9' && text[end] == '.'))) ++end;
    return end;
  }
  if (c == '"') {
    for (end = pos + 1; end < size && text[end] != '\n' && text[end] != '\r'; ++end) {
      if (text[end] == '\\') {
        ++end;
      } else if (text[end] == '"') {
        return end + 1;
      }
    }
    return std::min(end, size);
  }
  static constexpr std::string_view kTwo[] = {"==", "!=", "<=", ">="};
  for (auto op : kTwo) {
    if (text.substr(pos, 2) == op) return pos + 2;
  }
  return std::min(size, pos + utf8_length(static_cast<unsigned char>(c)));
}

inline bool is_reserved_word(std::string_view word) {
  tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy> in(word.data(), word.size(), "");
  return tao::pegtl::parse<tao::pegtl::seq<grammar::keyword, tao::pegtl::eof>>(in);
}

// ---------------------------------------------------------------- control

// Token kinds whose start the control remembers, for spans of errors found at their end.
enum TokenKind { kStringToken, kRegexToken, kCommentToken, kNumberToken, kTokenKinds };

template <typename Rule>
inline constexpr int kTokenOf = -1;
template <>
inline constexpr int kTokenOf<grammar::string_lit> = kStringToken;
template <>
inline constexpr int kTokenOf<grammar::regex_lit> = kRegexToken;
template <>
inline constexpr int kTokenOf<grammar::block_comment> = kCommentToken;
template <>
inline constexpr int kTokenOf<grammar::number> = kNumberToken;

// The part of the parse state that the control class needs: the text for spans, the nesting
// counter, where the current string/regex/comment/number began.
struct ErrorContext {
  std::string_view text;
  int max_depth = 64;
  int depth = 0;
  std::uint32_t token_start[kTokenKinds] = {};

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - text.data()); }

  void enter_nesting(std::uint32_t at, int opener_len) {
    if (++depth > max_depth) {
      const std::uint32_t begin = at - static_cast<std::uint32_t>(opener_len);
      throw SyntaxError{base::DiagCode::kNestingTooDeep,
                        fmt::format("nesting is deeper than the limit of {} levels", max_depth),
                        begin,
                        at,
                        "this level is one too many",
                        std::string("split the condition into several rules and refer to them by name")};
    }
  }

  // A tree of `height` levels (ParseOptions::max_expression_height) spanning [begin, end).
  int max_height = 1000;
  void check_height(std::uint32_t height, std::uint32_t begin, std::uint32_t end) const {
    if (height <= static_cast<std::uint32_t>(max_height)) return;
    throw SyntaxError{
        base::DiagCode::kNestingTooDeep,
        fmt::format("expression is deeper than the limit of {} levels", max_height),
        begin,
        end,
        "each operator of a chain, call or `not` is one level",
        std::string("split the expression into several rules (or lexicons) and refer to them by name")};
  }

  void fix(SyntaxError& err, std::uint32_t begin, std::uint32_t end, std::string text) const {
    err.fix_text = std::move(text);
    err.fix_begin = begin;
    err.fix_end = end;
  }

  // Slips that writers of other languages make, named with the fix instead of the grammar's
  // expectation: `=>`, `&&`, `||`, `!`, `contains`, and a string whose closing quote is
  // missing so that the next string's opening quote closed it.
  void common_slip(SyntaxError& err) const {
    const std::string_view rest = text.substr(err.begin);
    const auto slip = [&](std::uint32_t len, std::string message, std::string replacement, std::string help) {
      err.end = err.begin + len;
      err.message = std::move(message);
      err.label = fmt::format("write `{}` here", replacement);
      err.help = std::move(help);
      fix(err, err.begin, err.end, std::move(replacement));
    };
    if (rest.starts_with("=>")) {
      slip(2, "`=>` is not an operator; did you mean `>=`?", ">=", "comparisons are ==, !=, <, <=, > and >=");
    } else if (rest.starts_with("=<")) {
      slip(2, "`=<` is not an operator; did you mean `<=`?", "<=", "comparisons are ==, !=, <, <=, > and >=");
    } else if (rest.starts_with("&")) {
      slip(rest.starts_with("&&") ? 2 : 1,
           fmt::format("`{}` is not an operator; write `and`", rest.starts_with("&&") ? "&&" : "&"), "and",
           "conditions combine with `and`, `or` and `not`");
    } else if (rest.starts_with("|")) {
      slip(rest.starts_with("||") ? 2 : 1,
           fmt::format("`{}` is not an operator; write `or`", rest.starts_with("||") ? "||" : "|"), "or",
           "conditions combine with `and`, `or` and `not`");
    } else if (rest.starts_with("!") && !rest.starts_with("!=")) {
      slip(1, "`!` is not an operator; write `not`", "not ", "conditions combine with `and`, `or` and `not`");
      err.label = "write `not` here";
    } else if (rest.starts_with("=") && !rest.starts_with("==")) {
      fix(err, err.begin, err.begin + 1, "==");
    } else if (token_word(rest) == "contains" || token_word(rest) == "includes") {
      const std::string word(token_word(rest));
      slip(static_cast<std::uint32_t>(word.size()),
           fmt::format("`{}` is not an operator; write `mentions`", word), "mentions",
           "`FIELD mentions LEXICON` searches text for a lexicon's terms; `FIELD matches REGEX` for a "
           "pattern");
    } else if (is_ident_byte(rest[0])) {
      missing_quote(err);
    }
  }

  static std::string_view token_word(std::string_view rest) {
    std::size_t n = 0;
    while (n < rest.size() && is_ident_byte(rest[n])) ++n;
    return rest.substr(0, n);
  }

  // `"pangolin, "scales"`: the word was meant to be in a string. Either the string before it
  // lost its closing quote (the quote that opens `"scales"` closed it, so it ends in `, `), or
  // the word lost its opening quote (`"pangolin", scales"`).
  void missing_quote(SyntaxError& err) const {
    const std::uint32_t word_end = token_end(text, err.begin);
    if (word_end >= text.size()) return;
    std::uint32_t after = word_end;
    while (after < text.size() &&
           (text[after] == ' ' || (text[after] & 0x80) || is_ident_byte(text[after]))) {
      ++after;
    }
    if (after >= text.size() || text[after] != '"') return;
    std::uint32_t before = err.begin;
    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) --before;
    if (before > 0 && text[before - 1] == '"') {
      // The string that ends at text[before - 1]: find its opening quote on the same line.
      std::uint32_t open = before - 1;
      while (open > 0 && text[open - 1] != '"' && text[open - 1] != '\n') --open;
      if (open == 0 || text[open - 1] != '"') return;
      const std::uint32_t q = open - 1;
      const std::string_view content = text.substr(open, before - 1 - open);
      const auto comma = content.find_last_of(',');
      if (comma == std::string_view::npos) return;
      std::uint32_t at = open + static_cast<std::uint32_t>(comma);
      while (at > open && text[at - 1] == ' ') --at;
      err.code = base::DiagCode::kUnterminatedString;
      err.message = fmt::format("the string `{}` has no closing quote", text.substr(q, at - q));
      err.begin = q;
      err.end = at;
      err.label = "this string is not closed";
      err.help = fmt::format("add `\"` after `{}`", text.substr(open, at - open));
      fix(err, at, at, "\"");
    } else if (before > 0 && text[before - 1] == ',') {
      err.code = base::DiagCode::kUnterminatedString;
      err.message = fmt::format("`{}` has a closing quote but no opening quote",
                                text.substr(err.begin, after + 1 - err.begin));
      err.end = after + 1;
      err.label = "a string without its opening quote";
      err.help = fmt::format("add `\"` before `{}`", token_word(text.substr(err.begin)));
      fix(err, err.begin, err.begin, "\"");
    }
  }

  SyntaxError make_error(const ErrorInfo& e, std::uint32_t at) const {
    SyntaxError err;
    err.code = e.code;
    err.message = e.message;
    if (e.help) err.help = e.help;
    const auto size = static_cast<std::uint32_t>(text.size());
    switch (e.span) {
      case kString:
      case kRegex: {
        err.begin = token_start[e.span == kString ? kStringToken : kRegexToken];
        err.end = std::max(at, err.begin + 1);
        err.label = "no closing delimiter before the end of the line";
        break;
      }
      case kComment:
        err.begin = token_start[kCommentToken];
        err.end = err.begin + 2;
        err.label = "this comment is never closed";
        break;
      case kEscape: {
        err.begin = at - 1;
        err.end = at < size ? at + utf8_length(static_cast<unsigned char>(text[at])) : at;
        err.message =
            fmt::format("invalid escape sequence `{}`", text.substr(err.begin, err.end - err.begin));
        break;
      }
      case kNumber: {
        err.begin = token_start[kNumberToken];
        err.end = err.begin;
        while (err.end < size && (is_ident_byte(text[err.end]) || text[err.end] == '.')) ++err.end;
        err.message = fmt::format("invalid number `{}`", text.substr(err.begin, err.end - err.begin));
        err.label = e.message;
        break;
      }
      case kToken: {
        err.begin = skip_separators(text, at);
        err.end = token_end(text, err.begin);
        const std::string_view found = text.substr(err.begin, err.end - err.begin);
        if (found.empty()) {
          err.label = "the file ends here";
          if (err.message.starts_with("expected")) err.message += ", found the end of the file";
        } else {
          if (err.message.starts_with("expected")) err.message += fmt::format(", found `{}`", found);
          if (e.wants_name && is_reserved_word(found)) {
            err.help = fmt::format("`{}` is a reserved word and cannot be used as a name", found);
          }
          common_slip(err);
        }
        break;
      }
    }
    return err;
  }
};

// The parser always passes exactly one state, derived from ErrorContext.
template <typename Rule>
struct Control : tao::pegtl::normal<Rule> {
  template <typename ParseInput, typename State>
  static void start(const ParseInput& in, State& st) {
    if constexpr (kTokenOf<Rule> >= 0) st.token_start[kTokenOf<Rule>] = st.offset(in.current());
    if constexpr (grammar::nesting_opener < Rule >> 0) {
      st.enter_nesting(st.offset(in.current()), grammar::nesting_opener<Rule>);
    }
  }
  template <typename ParseInput, typename State>
  static void success(const ParseInput&, State& st) {
    if constexpr (grammar::nesting_opener < Rule >> 0) --st.depth;
  }
  template <typename ParseInput, typename State>
  static void failure(const ParseInput&, State& st) {
    if constexpr (grammar::nesting_opener < Rule >> 0) --st.depth;
  }
  template <typename ParseInput, typename State>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    static_assert(kError<Rule>.message != nullptr,
                  "every must<>/raise<> commit point needs a message in parse_errors.h");
    throw st.make_error(kError<Rule>, st.offset(in.current()));
  }
};

}  // namespace tusk::dsl::parse_errors
