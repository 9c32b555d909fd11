#include "dsl/formatter.h"

#include <fmt/format.h>

#include <algorithm>

namespace tusk::dsl {
namespace {

// Display columns: East Asian wide characters take two, as terminals and editors show them.
int display_width(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    int len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07, len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F, len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F, len = 2;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
  }
  return w;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (ch == '"') {
      out += "\\\"";
    } else if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{{{:X}}}", static_cast<unsigned>(c));
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

bool is_ident(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string number(const NumberLit& n) { return n.text.empty() ? fmt::format("{}", n.value) : n.text; }

const char* action_word(stdlib::Action a) { return to_string(a); }

const char* op_text(BinaryOp op) { return to_string(op); }

// Binding strength, loosest first (docs/language.md, "Expressions").
enum Prec {
  kPrecOr = 1,
  kPrecAnd,
  kPrecNot,
  kPrecCmp,
  kPrecAdd,
  kPrecMul,
  kPrecNeg,
  kPrecPostfix,
  kPrecPrimary
};

int binary_prec(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return kPrecOr;
    case BinaryOp::kAnd:
      return kPrecAnd;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return kPrecAdd;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
      return kPrecMul;
    default:
      return kPrecCmp;
  }
}

int prec(const Expr& e) {
  return std::visit(
      [](const auto& n) -> int {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, BinaryExpr>) {
          return binary_prec(n.op);
        } else if constexpr (std::is_same_v<T, UnaryExpr>) {
          return n.op == UnaryOp::kNot ? kPrecNot : kPrecNeg;
        } else if constexpr (std::is_same_v<T, InSetExpr> || std::is_same_v<T, MentionsExpr> ||
                             std::is_same_v<T, MatchesExpr> || std::is_same_v<T, HasLabelExpr>) {
          return kPrecCmp;
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          return kPrecPostfix;
        } else {
          return kPrecPrimary;
        }
      },
      e.node);
}

std::string expr(const Expr& e);

// `e` printed where at least `min` binding strength is needed.
std::string operand(const Expr& e, int min) {
  std::string s = expr(e);
  return prec(e) < min ? "(" + s + ")" : s;
}

// `a or (b and c)`: the tree needs no parentheses there, but readers do, so they are always
// written.
std::string or_operand(const Expr& e, int min) {
  const auto* b = std::get_if<BinaryExpr>(&e.node);
  if (b && b->op == BinaryOp::kAnd) return "(" + expr(e) + ")";
  return operand(e, min);
}

std::string expr(const Expr& e) {
  return std::visit(
      [&](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, BoolLitExpr>) {
          return n.value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, NumberExpr>) {
          return number(n.number);
        } else if constexpr (std::is_same_v<T, StringExpr>) {
          return quote(n.string.value);
        } else if constexpr (std::is_same_v<T, RegexLitExpr>) {
          return "/" + n.pattern + "/" + n.flags;
        } else if constexpr (std::is_same_v<T, NameExpr>) {
          return n.name.str();
        } else if constexpr (std::is_same_v<T, UnaryExpr>) {
          if (n.op == UnaryOp::kNot) return "not " + operand(*n.operand, kPrecNot);
          return "-" + operand(*n.operand, kPrecNeg);
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          const int p = binary_prec(n.op);
          // Left-associative: a right operand of the same strength keeps its parentheses, and
          // comparisons do not chain on either side.
          const int lmin = p == kPrecCmp ? p + 1 : p;
          if (n.op == BinaryOp::kOr) return or_operand(*n.lhs, lmin) + " or " + or_operand(*n.rhs, p + 1);
          return operand(*n.lhs, lmin) + " " + op_text(n.op) + " " + operand(*n.rhs, p + 1);
        } else if constexpr (std::is_same_v<T, InSetExpr>) {
          std::string s = operand(*n.value, kPrecAdd) + " in {";
          for (std::size_t i = 0; i < n.elements.size(); ++i) s += (i ? ", " : "") + expr(*n.elements[i]);
          return s + "}";
        } else if constexpr (std::is_same_v<T, ConvertExpr>) {
          return operand(*n.money, kPrecPrimary) + " in " + n.currency.name;
        } else if constexpr (std::is_same_v<T, MentionsExpr>) {
          return operand(*n.field, kPrecAdd) + " mentions " + operand(*n.lexicon, kPrecPostfix);
        } else if constexpr (std::is_same_v<T, MatchesExpr>) {
          return operand(*n.field, kPrecAdd) + " matches " + operand(*n.regex, kPrecPostfix);
        } else if constexpr (std::is_same_v<T, ActionExpr>) {
          return action_word(n.action);
        } else if constexpr (std::is_same_v<T, HasLabelExpr>) {
          return n.entity.name + " has label " + quote(n.label.value);
        } else {  // CallExpr
          std::string s = n.callee.str() + "(";
          for (std::size_t i = 0; i < n.args.size(); ++i) s += (i ? ", " : "") + expr(*n.args[i]);
          if (n.within) {
            s += std::string(n.args.empty() ? "" : ", ") + "within " +
                 operand(*n.within->distance, kPrecAdd) + " " + n.within->unit.name;
          }
          return s + ")";
        }
      },
      e.node);
}

std::string term_text(const Term& t) {
  std::string s = quote(t.text + (t.prefix ? "*" : ""));
  if (t.edit_distance > 0) s += fmt::format("~{}", t.edit_distance);
  return s;
}

std::string attrs_text(const TermGroup& g) {
  std::string s;
  if (g.lang) s += "@" + g.lang->name;
  if (g.weight) s += std::string(s.empty() ? "" : " ") + "weight " + number(*g.weight);
  if (g.note) s += std::string(s.empty() ? "" : " ") + "note " + quote(g.note->value);
  return s;
}

std::string group_inline(const TermGroup& g) {
  std::string s;
  for (std::size_t i = 0; i < g.terms.size(); ++i) s += (i ? ", " : "") + term_text(g.terms[i]);
  const std::string a = attrs_text(g);
  return a.empty() ? s : s + " " + a;
}

std::string lexicon_expr(const LexiconExpr& e) {
  return std::visit(
      [](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, LexiconRef>) {
          return n.name.str();
        } else if constexpr (std::is_same_v<T, LexiconLoad>) {
          return "load(" + quote(n.path.value) + ")";
        } else if constexpr (std::is_same_v<T, LexiconInline>) {
          if (n.groups.empty()) return "{}";
          std::string s = "{ ";
          for (std::size_t i = 0; i < n.groups.size(); ++i) s += (i ? " " : "") + group_inline(n.groups[i]);
          return s + " }";
        } else {
          const bool paren = std::holds_alternative<LexiconBinary>(n.rhs->node);
          const std::string rhs = lexicon_expr(*n.rhs);
          return lexicon_expr(*n.lhs) + (n.op == LexiconOp::kUnion ? " + " : " - ") +
                 (paren ? "(" + rhs + ")" : rhs);
        }
      },
      e.node);
}

std::string listing_value(const ListingValue& v);

std::string listing_key(const Ident& k) { return is_ident(k.name) ? k.name : quote(k.name); }

std::string listing_field(const ListingField& f) {
  return listing_key(f.key) + ": " + listing_value(f.value);
}

std::string listing_value(const ListingValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, NumberLit>) {
          return number(x);
        } else if constexpr (std::is_same_v<T, StringLit>) {
          return quote(x.value);
        } else if constexpr (std::is_same_v<T, std::vector<ListingValue>>) {
          std::string s = "[";
          for (std::size_t i = 0; i < x.size(); ++i) s += (i ? ", " : "") + listing_value(x[i]);
          return s + "]";
        } else {
          if (x.empty()) return "{}";
          std::string s = "{ ";
          for (std::size_t i = 0; i < x.size(); ++i) s += (i ? ", " : "") + listing_field(x[i]);
          return s + " }";
        }
      },
      v.value);
}

// The top-level operands of an `and`/`or` chain: (a and b) and c -> [a, b, c].
void flatten(const Expr& e, BinaryOp op, std::vector<const Expr*>& out) {
  if (const auto* b = std::get_if<BinaryExpr>(&e.node); b && b->op == op) {
    flatten(*b->lhs, op, out);
    out.push_back(b->rhs.get());
    return;
  }
  out.push_back(&e);
}

class Formatter {
 public:
  Formatter(const File& file, const base::SourceFile& source, const FormatOptions& options)
      : file_(file), src_(source.text()), opt_(options) {}

  std::string run() {
    bool prev_multi = false;
    std::uint32_t prev_end = 0;
    bool first = true;
    auto separate = [&](std::uint32_t begin, bool multi) {
      // A blank line around every block; single-line declarations keep the grouping they had.
      const std::uint32_t first_thing =
          next_ < file_.comments.size() ? std::min(begin, file_.comments[next_].span.begin) : begin;
      if (!first && (prev_multi || multi || blank_between(prev_end, first_thing))) blank();
      first = false;
    };
    if (file_.pack) {
      separate(file_.pack->span.begin, false);
      line(0, fmt::format("pack {} version {}", file_.pack->name.str(), quote(file_.pack->version.value)),
           file_.pack->span.begin, file_.pack->span.end);
      prev_end = file_.pack->span.end;
      prev_multi = false;
    }
    if (file_.module) {
      separate(file_.module->span.begin, false);
      line(0, "module " + file_.module->name.str(), file_.module->span.begin, file_.module->span.end);
      prev_end = file_.module->span.end;
      prev_multi = false;
    }
    for (const Decl& d : file_.decls) {
      const base::Span span = std::visit([](const auto& x) { return x.span; }, d);
      // Whether the declaration is a block: format it aside first and count its lines.
      const std::size_t saved_next = next_;
      const std::uint32_t saved_last = last_end_;
      const bool saved_start = at_block_start_;
      std::string saved_out = std::move(out_);
      out_.clear();
      const int lines_before = lines_of_code_;
      std::visit([&](const auto& x) { emit(x); }, d);
      const bool multi = lines_of_code_ - lines_before > 1;
      out_ = std::move(saved_out);
      next_ = saved_next;
      last_end_ = saved_last;
      at_block_start_ = saved_start;
      separate(span.begin, multi);
      std::visit([&](const auto& x) { emit(x); }, d);
      prev_multi = multi;
      prev_end = last_end_;
    }
    comments_before(static_cast<std::uint32_t>(src_.size()) + 1, 0);
    return out_;
  }

 private:
  // ------------------------------------------------------------ lines and comments

  bool blank_between(std::uint32_t a, std::uint32_t b) const {
    if (b <= a) return false;
    int newlines = 0;
    for (std::uint32_t i = a; i < b && i < src_.size(); ++i) {
      const char c = src_[i];
      if (c == '\n') {
        if (++newlines >= 2) return true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        newlines = 0;
      }
    }
    return false;
  }

  void blank() {
    if (!out_.empty() && !out_.ends_with("\n\n")) out_ += "\n";
  }

  void maybe_blank(std::uint32_t pos) {
    if (!at_block_start_ && blank_between(last_end_, pos)) blank();
  }

  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent), ' '); }

  // Every comment that starts before `pos`, on its own line.
  void comments_before(std::uint32_t pos, int indent) {
    while (next_ < file_.comments.size() && file_.comments[next_].span.begin < pos) {
      const Comment& c = file_.comments[next_++];
      maybe_blank(c.span.begin);
      out_ += pad(indent) + std::string(src_.substr(c.span.begin, c.span.end - c.span.begin)) + "\n";
      last_end_ = c.span.end;
      at_block_start_ = false;
    }
  }

  // One line of output for source [begin, end): comments written before or inside it go
  // above it, comments that follow it on the same source line stay at its end.
  void line(int indent, const std::string& text, std::uint32_t begin, std::uint32_t end,
            bool opens_block = false) {
    comments_before(std::max(begin, end), indent);
    maybe_blank(begin);
    out_ += pad(indent) + text;
    ++lines_of_code_;
    last_end_ = std::max(last_end_, end);
    while (next_ < file_.comments.size()) {
      const Comment& c = file_.comments[next_];
      const std::string_view gap = src_.substr(last_end_, c.span.begin - std::min(c.span.begin, last_end_));
      if (c.span.begin < last_end_ || gap.find('\n') != std::string_view::npos) break;
      if (gap.find_first_not_of(" \t\r{") != std::string_view::npos) break;
      out_ += " " + std::string(src_.substr(c.span.begin, c.span.end - c.span.begin));
      last_end_ = c.span.end;
      ++next_;
    }
    out_ += "\n";
    at_block_start_ = opens_block;
  }

  // The closing `}` of a block that ends at source offset `end` (exclusive).
  void close(int indent, std::uint32_t end) {
    comments_before(end > 0 ? end - 1 : 0, indent + 2);
    line(indent, "}", end - 1, end);
  }

  bool multiline_source(base::Span s) const {
    return src_.substr(s.begin, s.end - s.begin).find('\n') != std::string_view::npos;
  }

  bool fits(int indent, const std::string& text) const {
    return indent + display_width(text) <= opt_.max_width;
  }

  // ------------------------------------------------------------ declarations

  void emit(const UseDecl& d) {
    line(0, "use " + (d.module ? d.module->str() : quote(d.path->value)), d.span.begin, d.span.end);
  }

  void emit(const RegexDecl& d) {
    line(0, fmt::format("regex {} = /{}/{}", d.name.name, d.regex.pattern, d.regex.flags), d.span.begin,
         d.span.end);
  }

  void emit(const LexiconDecl& d) {
    const std::string head = "lexicon " + d.name.name + (d.profile ? " profile " + d.profile->name : "");
    const auto* body = std::get_if<LexiconInline>(&d.body->node);
    if (!body) {
      const std::string one = head + " = " + lexicon_expr(*d.body);
      if (fits(0, one) && !multiline_source(d.body->span)) {
        line(0, one, d.span.begin, d.span.end);
        return;
      }
      // Too long, or broken by the author: one operand per line, before each `+` or `-`.
      std::vector<std::pair<const char*, const LexiconExpr*>> parts;
      const LexiconExpr* e = d.body.get();
      while (const auto* b = std::get_if<LexiconBinary>(&e->node)) {
        parts.push_back({b->op == LexiconOp::kUnion ? "+ " : "- ", b->rhs.get()});
        e = b->lhs.get();
      }
      parts.push_back({"", e});
      std::reverse(parts.begin(), parts.end());
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const LexiconExpr& x = *parts[i].second;
        const bool paren = std::holds_alternative<LexiconBinary>(x.node);
        const std::string text = paren ? "(" + lexicon_expr(x) + ")" : lexicon_expr(x);
        if (i == 0) {
          line(0, head + " = " + text, d.span.begin, x.span.end);
        } else {
          line(2, std::string(parts[i].first) + text, x.span.begin, x.span.end);
        }
      }
      return;
    }
    if (body->groups.empty()) {
      line(0, head + " {}", d.span.begin, d.span.end);
      return;
    }
    const std::string one = head + " " + lexicon_expr(*d.body);
    if (body->groups.size() == 1 && !multiline_source(d.span) && fits(0, one)) {
      line(0, one, d.span.begin, d.span.end);
      return;
    }
    line(0, head + " {", d.span.begin, d.name.span.end, true);
    // Attributes line up in a column after the longest term list (lists too long to matter
    // do not push the column out).
    constexpr int kAlignLimit = 60;
    int column = 0;
    for (const auto& g : body->groups) {
      const int w = display_width(terms_of(g));
      if (w <= kAlignLimit && !attrs_text(g).empty()) column = std::max(column, w);
    }
    for (const auto& g : body->groups) emit_group(g, column);
    close(0, d.span.end);
  }

  static std::string terms_of(const TermGroup& g) {
    std::string s;
    for (std::size_t i = 0; i < g.terms.size(); ++i) s += (i ? ", " : "") + term_text(g.terms[i]);
    return s;
  }

  void emit_group(const TermGroup& g, int column) {
    const std::string attrs = attrs_text(g);
    std::string terms = terms_of(g);
    const int w = display_width(terms);
    std::string text = terms;
    if (!attrs.empty()) {
      text += std::string(static_cast<std::size_t>(w <= column ? column - w + 1 : 1), ' ') + attrs;
    }
    if (fits(2, text) || g.terms.size() == 1) {
      line(2, text, g.span.begin, g.span.end);
      return;
    }
    // Too wide: the terms wrap, each line ending in a comma so the group goes on.
    std::string current;
    for (std::size_t i = 0; i < g.terms.size(); ++i) {
      const std::string t = term_text(g.terms[i]);
      const bool last = i + 1 == g.terms.size();
      const std::string piece = last ? t + (attrs.empty() ? "" : " " + attrs) : t + ",";
      if (!current.empty() && !fits(2, current + " " + piece)) {
        line(2, current, g.terms[i].span.begin, g.terms[i].span.begin);
        current.clear();
      }
      current += (current.empty() ? "" : " ") + piece;
    }
    line(2, current, g.terms.back().span.begin, g.span.end);
  }

  // `when` and similar: broken before each top-level `and`/`or` when the line would be too
  // long, or when the author broke it over lines.
  void emit_condition(int indent, const std::string& head, const Expr& e, std::uint32_t begin,
                      const std::string& tail = "") {
    const std::string one = head + expr(e) + tail;
    const auto* b = std::get_if<BinaryExpr>(&e.node);
    const bool chain = b && (b->op == BinaryOp::kAnd || b->op == BinaryOp::kOr);
    if (!chain || (fits(indent, one) && !multiline_source(e.span))) {
      line(indent, one, begin, e.span.end);
      return;
    }
    std::vector<const Expr*> parts;
    flatten(e, b->op, parts);
    const int p = binary_prec(b->op);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::string text = b->op == BinaryOp::kOr ? or_operand(*parts[i], i == 0 ? p : p + 1)
                                                      : operand(*parts[i], i == 0 ? p : p + 1);
      if (i == 0) {
        line(indent, head + text, begin, parts[i]->span.end);
      } else {
        line(indent + 1, std::string(op_text(b->op)) + " " + text + (i + 1 == parts.size() ? tail : ""),
             parts[i]->span.begin, parts[i]->span.end);
      }
    }
  }

  void emit(const RuleDecl& d) {
    line(0, "rule " + d.name.name + " {", d.span.begin, d.name.span.end, true);
    // Clauses stay in the order the author wrote them.
    struct Clause {
      std::uint32_t at;
      int kind;  // 0 when, 1 score, 2 reason, 3 tag, 4 message
      std::size_t tag = 0;
    };
    std::vector<Clause> clauses;
    if (d.when) clauses.push_back({d.when->span.begin, 0});
    if (d.score) clauses.push_back({d.score->span.begin, 1});
    if (d.reason) clauses.push_back({d.reason->span.begin, 2});
    for (std::size_t i = 0; i < d.tags.size(); ++i) clauses.push_back({d.tags[i].span.begin, 3, i});
    if (d.message) clauses.push_back({d.message->span.begin, 4});
    std::stable_sort(clauses.begin(), clauses.end(),
                     [](const Clause& a, const Clause& b) { return a.at < b.at; });
    for (const auto& c : clauses) {
      switch (c.kind) {
        case 0:
          emit_condition(2, "when ", *d.when, d.when->span.begin);
          break;
        case 1:
          line(2, "score " + number(*d.score), d.score->span.begin, d.score->span.end);
          break;
        case 2:
          line(2, "reason " + quote(d.reason->value), d.reason->span.begin, d.reason->span.end);
          break;
        case 3:
          line(2, "tag " + quote(d.tags[c.tag].value), d.tags[c.tag].span.begin, d.tags[c.tag].span.end);
          break;
        case 4:
          line(2, "message " + quote(d.message->value), d.message->span.begin, d.message->span.end);
          break;
      }
    }
    close(0, d.span.end);
  }

  void emit(const DecideDecl& d) {
    line(0, "decide {", d.span.begin, d.span.begin + 6, true);
    for (const auto& br : d.branches) {
      const std::string action = fmt::format("{:<6} ", action_word(br.action));
      const std::string msg = br.message ? " message " + quote(br.message->value) : "";
      if (br.when) {
        emit_condition(2, action + "when ", *br.when, br.span.begin, msg);
        if (br.message) last_end_ = std::max(last_end_, br.message->span.end);
      } else {
        line(2, action + "otherwise" + msg, br.span.begin, br.span.end);
      }
    }
    close(0, d.span.end);
  }

  static std::string window_text(const Window& w) { return number(w.amount) + " " + w.unit.name; }

  void emit(const EntityDecl& d) {
    line(0, "entity " + d.name.name + " = " + d.field.str(), d.span.begin, d.span.end);
  }

  void emit(const CounterDecl& d) {
    std::string head = "counter " + d.name.name + " of " + d.entity.name + " counts ";
    const std::string over = " over " + window_text(d.window);
    switch (d.kind) {
      case CounterDecl::Kind::kEvery:
        line(0, head + "every listing" + over, d.span.begin, d.span.end);
        return;
      case CounterDecl::Kind::kDistinct:
        head += "distinct " + d.distinct->str();
        if (!d.when) {
          line(0, head + over, d.span.begin, d.span.end);
          return;
        }
        emit_condition(0, head + " when ", *d.when, d.span.begin, over);
        break;
      case CounterDecl::Kind::kWhen:
        emit_condition(0, head, *d.when, d.span.begin, over);
        break;
    }
    last_end_ = std::max(last_end_, d.span.end);
  }

  void emit(const LabelDecl& d) {
    emit_condition(
        0,
        fmt::format("label {} {} for {} when ", d.entity.name, quote(d.name.value), window_text(d.lifetime)),
        *d.when, d.span.begin);
  }

  void emit(const AccountDecideDecl& d) {
    line(0, "decide account of " + d.entity.name + " {", d.span.begin, d.entity.span.end, true);
    for (const auto& br : d.branches) {
      const std::string action = fmt::format("{:<7} ", to_string(br.action));
      if (br.when) {
        emit_condition(2, action + "when ", *br.when, br.span.begin);
      } else {
        line(2, action + "otherwise", br.span.begin, br.span.end);
      }
    }
    close(0, d.span.end);
  }

  void emit(const SuggestDecl& d) {
    const std::string what = d.alternative ? d.alternative->str() : quote(d.text->value);
    emit_condition(0, "suggest " + what + " when ", *d.when, d.span.begin);
  }

  void emit(const AlternativeDecl& d) {
    line(0, "alternative " + d.name.name + " {", d.span.begin, d.name.span.end, true);
    for (const auto& t : d.texts) {
      line(2, quote(t.text.value) + (t.lang ? " @" + t.lang->name : ""), t.text.span.begin,
           t.lang ? t.lang->span.end : t.text.span.end);
    }
    close(0, d.span.end);
  }

  void emit_listing(const ListingValue& listing) {
    const std::string one = "listing " + listing_value(listing);
    const auto* fields = std::get_if<std::vector<ListingField>>(&listing.value);
    if (!fields || fields->empty() || (fits(2, one) && !multiline_source(listing.span))) {
      line(2, one, listing.span.begin, listing.span.end);
    } else {
      line(2, "listing {", listing.span.begin, listing.span.begin + 1, true);
      for (const auto& f : *fields) line(4, listing_field(f) + ",", f.key.span.begin, f.value.span.end);
      close(2, listing.span.end);
    }
  }

  void emit(const TestDecl& d) {
    line(0, "test " + quote(d.name.value) + " {", d.span.begin, d.name.span.end, true);
    emit_listing(d.listing);
    for (const auto& e : d.expectations) line(2, expectation(e), e.span.begin, e.span.end);
    for (const auto& step : d.more) {
      emit_listing(step.listing);
      for (const auto& e : step.expectations) line(2, expectation(e), e.span.begin, e.span.end);
    }
    close(0, d.span.end);
  }

  static std::string expectation(const Expectation& e) {
    using K = Expectation::Kind;
    switch (e.kind) {
      case K::kAction:
        return fmt::format("expect {}", action_word(e.action));
      case K::kFired:
        return "expect fired " + e.name->str();
      case K::kNotFired:
        return "expect not fired " + e.name->str();
      case K::kScore:
        return fmt::format("expect score {} {}", op_text(e.compare), number(*e.number));
      case K::kTag:
        return "expect tag " + quote(e.text->value);
      case K::kSuggestion:
        return "expect suggest " + e.name->str();
      case K::kEvidence:
        return "expect evidence " + quote(e.text->value);
      case K::kAccount:
        return fmt::format("expect account {}", to_string(e.account));
    }
    return "";
  }

  const File& file_;
  std::string_view src_;
  FormatOptions opt_;
  std::string out_;
  std::size_t next_ = 0;        // next comment to place
  std::uint32_t last_end_ = 0;  // source offset of the end of what was written last
  bool at_block_start_ = true;  // no blank line right after `{` (or at the top of the file)
  int lines_of_code_ = 0;
};

}  // namespace

std::string format(const File& file, const base::SourceFile& source, const FormatOptions& options) {
  return Formatter(file, source, options).run();
}

}  // namespace tusk::dsl
