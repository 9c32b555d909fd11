#include "base/diagnostic.h"

#include <fmt/format.h>
#include <algorithm>

#include "base/json_text.h"

namespace tusk::base {
namespace {

const std::vector<DiagCodeInfo>& table() {
  static const std::vector<DiagCodeInfo> kTable = {
#define TUSK_DIAG(enumerator, id, severity, name, summary) \
  {DiagCode::enumerator, id, Severity::severity, name, summary},
#include "base/diagnostic_codes.def"
#undef TUSK_DIAG
  };
  return kTable;
}

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// Display width of a UTF-8 slice: code points, with East Asian wide characters counted
// twice so that carets line up under CJK text in a terminal.
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = 0;
    if (len == 1) {
      cp = c;
    } else if (i + len <= s.size()) {
      cp = c & (0x7f >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    const bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                      (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                      (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
    w += (c == '\t') ? 4 : wide ? 2 : 1;
    i += len;
  }
  return w;
}

void render_snippet(std::string& out, const Label& label, const SourceManager& sources, std::size_t gutter,
                    char marker) {
  const SourceFile& file = sources.file(label.span.source);
  const LineCol start = file.line_col(label.span.begin);
  const LineCol stop = file.line_col(label.span.end);
  std::string line(file.line_text(start.line));
  std::string expanded;  // tabs as four spaces, as display_width counts them
  for (char c : line) expanded += (c == '\t') ? std::string("    ") : std::string(1, c);
  const std::string pad(gutter, ' ');
  out += fmt::format("{} |\n", pad);
  out += fmt::format("{:>{}} | {}\n", start.line, gutter, expanded);
  // Byte offset of the span within its line.
  std::size_t line_start = label.span.begin;
  while (line_start > 0 && file.text()[line_start - 1] != '\n') --line_start;
  const std::string_view before =
      std::string_view(file.text()).substr(line_start, label.span.begin - line_start);
  std::size_t span_end = label.span.end;
  if (stop.line != start.line) span_end = line_start + line.size();  // underline to end of line
  std::string_view under =
      std::string_view(file.text()).substr(label.span.begin, span_end - label.span.begin);
  std::size_t carets = std::max<std::size_t>(1, display_width(under));
  out += fmt::format("{} | {}{}", pad, std::string(display_width(before), ' '), std::string(carets, marker));
  if (!label.message.empty()) out += " " + label.message;
  out += "\n";
}

}  // namespace

const DiagCodeInfo& info(DiagCode code) { return table().at(static_cast<std::size_t>(code)); }
const std::vector<DiagCodeInfo>& all_diag_codes() { return table(); }

std::optional<DiagCode> diag_code_from_id(std::string_view id_or_name) {
  for (const auto& i : table()) {
    if (i.id == id_or_name || i.name == id_or_name) return i.code;
  }
  return std::nullopt;
}

DiagnosticBuilder Diagnostics::report(DiagCode code, Span span, std::string message) {
  Diagnostic d;
  d.code = code;
  d.severity = info(code).severity;
  d.message = std::move(message);
  d.primary.span = span;
  diags_.push_back(std::move(d));
  return DiagnosticBuilder(diags_.back());
}

std::size_t Diagnostics::error_count() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}
std::size_t Diagnostics::warning_count() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kWarning; });
}

void Diagnostics::append(const Diagnostics& other) {
  diags_.insert(diags_.end(), other.diags_.begin(), other.diags_.end());
}

void Diagnostics::sort() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.primary.span.source != b.primary.span.source) return a.primary.span.source < b.primary.span.source;
    return a.primary.span.begin < b.primary.span.begin;
  });
}

void Diagnostics::suppress(const std::vector<std::string>& ids_or_names) {
  std::erase_if(diags_, [&](const Diagnostic& d) {
    if (d.severity != Severity::kWarning) return false;
    const auto& i = info(d.code);
    return std::any_of(ids_or_names.begin(), ids_or_names.end(),
                       [&](const std::string& s) { return s == i.id || s == i.name; });
  });
}

std::string render_text(const Diagnostic& d, const SourceManager& sources, const RenderOptions& opts) {
  const auto& ci = info(d.code);
  std::string out;
  const char* bold = opts.color ? "\x1b[1m" : "";
  const char* reset = opts.color ? "\x1b[0m" : "";
  const char* colour = !opts.color ? "" : d.severity == Severity::kError ? "\x1b[1;31m" : "\x1b[1;33m";
  out += fmt::format("{}{}[{}]{}{}: {}{}\n", colour, severity_word(d.severity), ci.id, reset, bold, d.message,
                     reset);
  std::size_t gutter = 1;
  if (d.primary.span.valid()) {
    const SourceFile& file = sources.file(d.primary.span.source);
    const LineCol lc = file.line_col(d.primary.span.begin);
    gutter = std::to_string(lc.line).size();
    for (const auto& s : d.secondary) {
      if (s.span.valid()) {
        gutter =
            std::max(gutter, std::to_string(sources.file(s.span.source).line_col(s.span.begin).line).size());
      }
    }
    out += fmt::format("{}--> {}:{}:{}\n", std::string(gutter, ' '), file.path(), lc.line, lc.column);
    render_snippet(out, d.primary, sources, gutter, '^');
  }
  for (const auto& s : d.secondary) {
    if (!s.span.valid()) continue;
    const SourceFile& file = sources.file(s.span.source);
    const LineCol lc = file.line_col(s.span.begin);
    if (!d.primary.span.valid() || s.span.source != d.primary.span.source) {
      out += fmt::format("{}::: {}:{}:{}\n", std::string(gutter, ' '), file.path(), lc.line, lc.column);
    }
    render_snippet(out, s, sources, gutter, '-');
  }
  for (const auto& n : d.notes) out += fmt::format("{} = note: {}\n", std::string(gutter, ' '), n);
  if (d.help) out += fmt::format("{} = help: {}\n", std::string(gutter, ' '), *d.help);
  return out;
}

std::string render_text(const Diagnostics& ds, const SourceManager& sources, const RenderOptions& opts) {
  std::string out;
  for (const auto& d : ds.all()) {
    out += render_text(d, sources, opts);
    out += "\n";
  }
  return out;
}

namespace {
std::string json_span(const Span& span, const SourceManager& sources) {
  if (!span.valid()) return "null";
  const SourceFile& f = sources.file(span.source);
  const LineCol a = f.line_col(span.begin);
  const LineCol b = f.line_col(span.end);
  return fmt::format(
      R"({{"file":{},"start":{},"end":{},"line":{},"column":{},"end_line":{},"end_column":{}}})",
      json_string(f.path()), span.begin, span.end, a.line, a.column, b.line, b.column);
}
}  // namespace

std::string render_json(const Diagnostics& ds, const SourceManager& sources) {
  std::string out = "[";
  bool first = true;
  for (const auto& d : ds.all()) {
    if (!first) out += ",";
    first = false;
    const auto& ci = info(d.code);
    out += fmt::format(R"({{"code":"{}","name":"{}","severity":"{}","message":{},"span":{},"label":{})",
                       ci.id, ci.name, severity_word(d.severity), json_string(d.message),
                       json_span(d.primary.span, sources), json_string(d.primary.message));
    out += R"(,"secondary":[)";
    for (std::size_t i = 0; i < d.secondary.size(); ++i) {
      if (i) out += ",";
      out += fmt::format(R"({{"span":{},"label":{}}})", json_span(d.secondary[i].span, sources),
                         json_string(d.secondary[i].message));
    }
    out += R"(],"notes":[)";
    for (std::size_t i = 0; i < d.notes.size(); ++i) {
      if (i) out += ",";
      out += json_string(d.notes[i]);
    }
    out += "]";
    out += d.help ? fmt::format(R"(,"help":{})", json_string(*d.help)) : std::string(R"(,"help":null)");
    if (d.fix) {
      out += fmt::format(R"(,"fix":{{"span":{},"replacement":{}}})", json_span(d.fix->span, sources),
                         json_string(d.fix->replacement));
    }
    out += "}";
  }
  out += "]\n";
  return out;
}

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance (Levenshtein plus adjacent transpositions, so `titel`
  // finds `title`); accept at most about a third of the name's length.
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(1, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (c == name) continue;
    const std::size_t n = name.size(), m = c.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
      for (std::size_t j = 1; j <= m; ++j) {
        const std::size_t cost = name[i - 1] == c[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && name[i - 1] == c[j - 2] && name[i - 2] == c[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    if (d[n][m] < best_d) {
      best_d = d[n][m];
      best = c;
    }
  }
  return best;
}

}  // namespace tusk::base
