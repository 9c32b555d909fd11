// `reason` and `message` templates: literal text with `{hits(lex)}`, `{first(x)}`,
// `{count(x)}`, `{field}` and `{score}` placeholders; `{{` and `}}` are literal braces.
#include <fmt/format.h>

#include <cctype>

#include "base/utf8.h"
#include "compiler/front/checker.h"
#include "stdlib/functions.h"

namespace tusk::compiler::front {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

}  // namespace

std::vector<TemplatePiece> split_template(const dsl::StringLit& lit, const base::SourceFile& file,
                                          base::Diagnostics& diags) {
  std::vector<TemplatePiece> pieces;
  // Work on the source text between the quotes so that spans point inside the literal.
  std::string_view raw = file.slice(lit.span);
  std::uint32_t base = lit.span.begin;
  const bool quoted = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"';
  if (quoted) {
    raw = raw.substr(1, raw.size() - 2);
    base += 1;
  } else {
    raw = lit.value;  // no usable source text: spans fall back to the whole literal
  }
  auto span_of = [&](std::size_t b, std::size_t e) {
    if (!quoted) return lit.span;
    return base::Span{lit.span.source, base + static_cast<std::uint32_t>(b),
                      base + static_cast<std::uint32_t>(e)};
  };
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) pieces.push_back({stdlib::TemplateKind::kLiteral, std::move(literal), {}, {}, {}});
    literal.clear();
  };
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c == '\\' && quoted && i + 1 < raw.size()) {
      const char e = raw[i + 1];
      if (e == 'n') {
        literal += '\n';
      } else if (e == 't') {
        literal += '\t';
      } else if (e == 'u' && i + 2 < raw.size() && raw[i + 2] == '{') {
        const std::size_t close = raw.find('}', i + 3);
        if (close != std::string_view::npos) {
          base::append_utf8(
              literal, static_cast<char32_t>(
                           std::strtoul(std::string(raw.substr(i + 3, close - i - 3)).c_str(), nullptr, 16)));
          i = close + 1;
          continue;
        }
      } else {
        literal += e;
      }
      i += 2;
      continue;
    }
    if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    if (c == '}' && i + 1 < raw.size() && raw[i + 1] == '}') {
      literal += '}';
      i += 2;
      continue;
    }
    if (c == '}') {
      diags.report(base::DiagCode::kBadTemplate, span_of(i, i + 1), "unmatched `}` in template")
          .label("no `{` opens this")
          .help("write `}}` for a literal brace");
      ++i;
      continue;
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    const std::size_t close = raw.find('}', i + 1);
    const std::size_t nl = raw.find('{', i + 1);
    if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close)) {
      diags.report(base::DiagCode::kBadTemplate, span_of(i, i + 1), "unclosed `{` in template")
          .label("this placeholder has no closing `}`")
          .help("close it with `}`, or write `{{` for a literal brace");
      ++i;
      continue;
    }
    flush();
    // Inside: `name`, or `fn(name)`, with optional spaces.
    std::size_t p = i + 1;
    auto skip_ws = [&] {
      while (p < close && raw[p] == ' ') ++p;
    };
    skip_ws();
    const std::size_t n0 = p;
    while (p < close && name_char(raw[p])) ++p;
    const std::size_t n1 = p;
    skip_ws();
    TemplatePiece piece;
    piece.span = span_of(i, close + 1);
    if (n0 == n1) {
      diags.report(base::DiagCode::kBadTemplate, piece.span, "empty or malformed placeholder")
          .label("expected a name here")
          .help(
              "write `{hits(lexicon)}`, `{first(name)}`, `{count(name)}`, `{score}` or a field like "
              "`{title}`");
      i = close + 1;
      continue;
    }
    const std::string head(raw.substr(n0, n1 - n0));
    if (p < close && raw[p] == '(') {
      ++p;
      skip_ws();
      const std::size_t a0 = p;
      while (p < close && name_char(raw[p])) ++p;
      const std::size_t a1 = p;
      skip_ws();
      const bool ok = a1 > a0 && p < close && raw[p] == ')' && (++p, skip_ws(), p == close);
      static const std::vector<std::string> kFns = {"hits", "first", "count"};
      const bool template_fn = head == "hits" || head == "first" || head == "count";
      if (!template_fn && stdlib::find_function(head) != nullptr) {
        // A condition function (`per_kg`, `weight_kg`, `near`, ...) computes in `when`, not in text.
        diags
            .report(base::DiagCode::kBadTemplate, span_of(n0, n1),
                    fmt::format("`{}` is a function for conditions, not for a reason or message", head))
            .label("not a template function")
            .help(
                "a placeholder shows what matched: `{hits(lexicon)}`, `{first(name)}`, `{count(name)}`, "
                "`{score}` or a field like `{price}`");
      } else if (!ok) {
        diags.report(base::DiagCode::kBadTemplate, piece.span, "malformed placeholder")
            .label("expected `{function(name)}`")
            .help(fmt::format("write `{{{}(lexicon_or_regex)}}`", head));
      } else if (head == "hits" || head == "first" || head == "count") {
        piece.kind = head == "hits"    ? stdlib::TemplateKind::kHits
                     : head == "first" ? stdlib::TemplateKind::kFirst
                                       : stdlib::TemplateKind::kCount;
        piece.arg = std::string(raw.substr(a0, a1 - a0));
        piece.arg_span = span_of(a0, a1);
        pieces.push_back(std::move(piece));
      } else {
        auto b = diags.report(base::DiagCode::kBadTemplate, span_of(n0, n1),
                              fmt::format("unknown template function `{}`", head));
        b.label("not a template function");
        if (auto near = did_you_mean(head, kFns)) {
          b.help(fmt::format("did you mean `{}`?", *near));
        } else {
          b.help("templates know `hits`, `first` and `count`");
        }
      }
    } else if (p != close) {
      diags.report(base::DiagCode::kBadTemplate, piece.span, "malformed placeholder")
          .label("expected `{name}` or `{function(name)}`");
    } else if (head == "score") {
      piece.kind = stdlib::TemplateKind::kScore;
      pieces.push_back(std::move(piece));
    } else {
      piece.kind = stdlib::TemplateKind::kField;
      piece.arg = head;
      piece.arg_span = span_of(n0, n1);
      pieces.push_back(std::move(piece));
    }
    i = close + 1;
  }
  flush();
  return pieces;
}

}  // namespace tusk::compiler::front
