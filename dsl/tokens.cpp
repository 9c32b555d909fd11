#include "dsl/tokens.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/utf8.h"
#include "dsl/parse_errors.h"

namespace tusk::dsl {

using parse_errors::SyntaxError;

// The grammar has already checked the escape forms; what is left is the code point range.
std::string decode_string(std::string_view raw, std::uint32_t begin) {
  std::string out;
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    const char c = raw[++i];
    if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == '"' || c == '\\') {
      out += c;
    } else {  // u{XXXX}
      const std::size_t close = raw.find('}', i);
      std::uint32_t cp = 0;
      std::from_chars(raw.data() + i + 2, raw.data() + close, cp, 16);
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        const auto b = static_cast<std::uint32_t>(begin + i - 1);
        throw SyntaxError{base::DiagCode::kInvalidEscape,
                          fmt::format("invalid escape sequence `{}`", raw.substr(i - 1, close - i + 2)),
                          b,
                          static_cast<std::uint32_t>(begin + close + 1),
                          "not a Unicode scalar value",
                          std::string("\\u{...} takes a code point up to 10FFFF, excluding surrogates")};
      }
      base::append_utf8(out, static_cast<char32_t>(cp));
      i = close;
    }
  }
  return out;
}

NumberLit decode_number(std::string_view text, base::Span span) {
  NumberLit n;
  n.text = std::string(text);
  n.span = span;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), n.value);
  if (r.ec != std::errc() || !std::isfinite(n.value)) {
    throw SyntaxError{base::DiagCode::kInvalidNumber,
                      fmt::format("invalid number `{}`", text),
                      span.begin,
                      span.end,
                      "out of range",
                      std::nullopt};
  }
  return n;
}

QualifiedName decode_qname(std::string_view text, std::uint32_t begin, base::SourceId source) {
  QualifiedName q;
  q.span = base::Span{source, begin, static_cast<std::uint32_t>(begin + text.size())};
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? text.size() : dot;
    q.parts.push_back(Ident{std::string(text.substr(start, end - start)),
                            base::Span{source, static_cast<std::uint32_t>(begin + start),
                                       static_cast<std::uint32_t>(begin + end)}});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return q;
}

}  // namespace tusk::dsl
