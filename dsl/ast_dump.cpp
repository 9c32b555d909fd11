// One node per line, two spaces of indentation per level, `@line:col-line:col` spans (columns
// in code points, as base::SourceFile::line_col counts them). Golden files depend on this format:
// change it only together with tests/golden/parse/*.ast.
#include "dsl/ast_dump.h"

#include <fmt/format.h>

namespace tusk::dsl {
namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{{{:X}}}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

class Dumper {
 public:
  explicit Dumper(const base::SourceManager& sources) : sources_(sources) {}

  std::string take() { return std::move(out_); }

  void line(int depth, std::string_view text, const base::Span* span = nullptr) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    if (span) out_ += " " + at(*span);
    out_ += '\n';
  }
  void line(int depth, std::string_view text, const base::Span& span) { line(depth, text, &span); }

  std::string at(const base::Span& span) const {
    if (!span.valid()) return "@?";
    const base::SourceFile& f = sources_.file(span.source);
    const base::LineCol a = f.line_col(span.begin);
    const base::LineCol b = f.line_col(span.end);
    return fmt::format("@{}:{}-{}:{}", a.line, a.column, b.line, b.column);
  }

  void expr(int d, const Expr* e) {
    if (!e) {
      line(d, "<missing>");
      return;
    }
    std::visit([&](const auto& n) { node(d, *e, n); }, e->node);
  }

  void node(int d, const Expr& e, const BoolLitExpr& n) { line(d, n.value ? "true" : "false", e.span); }
  void node(int d, const Expr& e, const NumberExpr& n) { line(d, "number " + n.number.text, e.span); }
  void node(int d, const Expr& e, const StringExpr& n) { line(d, "string " + quote(n.string.value), e.span); }
  void node(int d, const Expr& e, const RegexLitExpr& n) {
    line(d, fmt::format("regex /{}/{}", n.pattern, n.flags), e.span);
  }
  void node(int d, const Expr& e, const NameExpr& n) { line(d, "name " + n.name.str(), e.span); }
  void node(int d, const Expr& e, const UnaryExpr& n) {
    line(d, n.op == UnaryOp::kNot ? "not" : "neg", e.span);
    expr(d + 1, n.operand.get());
  }
  void node(int d, const Expr& e, const BinaryExpr& n) {
    line(d, to_string(n.op), e.span);
    expr(d + 1, n.lhs.get());
    expr(d + 1, n.rhs.get());
  }
  void node(int d, const Expr& e, const InSetExpr& n) {
    line(d, "in-set", e.span);
    expr(d + 1, n.value.get());
    line(d + 1, "set", n.set_span);
    for (const auto& el : n.elements) expr(d + 2, el.get());
  }
  void node(int d, const Expr& e, const ConvertExpr& n) {
    line(d, "convert", e.span);
    expr(d + 1, n.money.get());
    line(d + 1, "currency " + n.currency.name, n.currency.span);
  }
  void node(int d, const Expr& e, const MentionsExpr& n) {
    line(d, "mentions", e.span);
    expr(d + 1, n.field.get());
    expr(d + 1, n.lexicon.get());
  }
  void node(int d, const Expr& e, const MatchesExpr& n) {
    line(d, "matches", e.span);
    expr(d + 1, n.field.get());
    expr(d + 1, n.regex.get());
  }
  void node(int d, const Expr& e, const ActionExpr& n) {
    line(d, std::string("action ") + to_string(n.action), e.span);
  }
  void node(int d, const Expr& e, const HasLabelExpr& n) {
    line(d, "has-label", e.span);
    line(d + 1, "entity " + n.entity.name, n.entity.span);
    line(d + 1, "label " + quote(n.label.value), n.label.span);
  }
  void node(int d, const Expr& e, const CallExpr& n) {
    line(d, "call", e.span);
    line(d + 1, "callee " + n.callee.str(), n.callee.span);
    for (const auto& a : n.args) expr(d + 1, a.get());
    if (n.within) {
      line(d + 1, "within", n.within->span);
      expr(d + 2, n.within->distance.get());
      line(d + 2, "unit " + n.within->unit.name, n.within->unit.span);
    }
  }

  void group(int d, const TermGroup& g) {
    line(d, "group", g.span);
    for (const auto& t : g.terms) {
      std::string s = "term " + quote(t.text);
      if (t.prefix) s += " prefix";
      if (t.edit_distance) s += fmt::format(" ~{}", t.edit_distance);
      line(d + 1, s, t.span);
    }
    if (g.lang) line(d + 1, "lang " + g.lang->name, g.lang->span);
    if (g.weight) line(d + 1, "weight " + g.weight->text, g.weight->span);
    if (g.note) line(d + 1, "note " + quote(g.note->value), g.note->span);
  }

  void lexicon(int d, const LexiconExpr* e) {
    if (!e) {
      line(d, "<missing>");
      return;
    }
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, LexiconRef>) {
            line(d, "ref " + n.name.str(), e->span);
          } else if constexpr (std::is_same_v<T, LexiconLoad>) {
            line(d, "load", e->span);
            line(d + 1, "path " + quote(n.path.value), n.path.span);
          } else if constexpr (std::is_same_v<T, LexiconInline>) {
            line(d, "inline", e->span);
            for (const auto& g : n.groups) group(d + 1, g);
          } else {
            line(d, n.op == LexiconOp::kUnion ? "union" : "difference", e->span);
            lexicon(d + 1, n.lhs.get());
            lexicon(d + 1, n.rhs.get());
          }
        },
        e->node);
  }

  void value(int d, const ListingValue& v, std::string_view prefix = "") {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          std::string p(prefix);
          if constexpr (std::is_same_v<T, std::monostate>) {
            line(d, p + "null", v.span);
          } else if constexpr (std::is_same_v<T, bool>) {
            line(d, p + (n ? "true" : "false"), v.span);
          } else if constexpr (std::is_same_v<T, NumberLit>) {
            line(d, p + "number " + n.text, v.span);
          } else if constexpr (std::is_same_v<T, StringLit>) {
            line(d, p + "string " + quote(n.value), v.span);
          } else if constexpr (std::is_same_v<T, std::vector<ListingValue>>) {
            line(d, p + "array", v.span);
            for (const auto& item : n) value(d + 1, item);
          } else {
            line(d, p + "object", v.span);
            for (const auto& f : n) {
              line(d + 1, "field " + quote(f.key.name), f.key.span);
              value(d + 2, f.value);
            }
          }
        },
        v.value);
  }

  void decl(const UseDecl& u) {
    line(0, "use", u.span);
    if (u.module) line(1, "module " + u.module->str(), u.module->span);
    if (u.path) line(1, "path " + quote(u.path->value), u.path->span);
  }
  void decl(const LexiconDecl& l) {
    line(0, "lexicon " + l.name.name, l.span);
    line(1, "name " + l.name.name, l.name.span);
    if (l.profile) line(1, "profile " + l.profile->name, l.profile->span);
    lexicon(1, l.body.get());
  }
  void decl(const RegexDecl& r) {
    line(0, "regex " + r.name.name, r.span);
    line(1, "name " + r.name.name, r.name.span);
    line(1, fmt::format("pattern /{}/{}", r.regex.pattern, r.regex.flags), r.regex_span);
  }
  void decl(const RuleDecl& r) {
    line(0, "rule " + r.name.name, r.span);
    line(1, "name " + r.name.name, r.name.span);
    line(1, "when");
    expr(2, r.when.get());
    if (r.score) line(1, "score " + r.score->text, r.score->span);
    if (r.reason) line(1, "reason " + quote(r.reason->value), r.reason->span);
    for (const auto& t : r.tags) line(1, "tag " + quote(t.value), t.span);
    if (r.message) line(1, "message " + quote(r.message->value), r.message->span);
  }
  void decl(const DecideDecl& dd) {
    line(0, "decide", dd.span);
    for (const auto& b : dd.branches) {
      line(1, std::string("branch ") + to_string(b.action), b.span);
      line(2, std::string("action ") + to_string(b.action), b.action_span);
      if (b.when) {
        line(2, "when");
        expr(3, b.when.get());
      } else {
        line(2, "otherwise");
      }
      if (b.message) line(2, "message " + quote(b.message->value), b.message->span);
    }
  }
  void decl(const SuggestDecl& s) {
    line(0, "suggest", s.span);
    if (s.alternative) line(1, "alternative " + s.alternative->str(), s.alternative->span);
    if (s.text) line(1, "text " + quote(s.text->value), s.text->span);
    line(1, "when");
    expr(2, s.when.get());
  }
  void decl(const AlternativeDecl& a) {
    line(0, "alternative " + a.name.name, a.span);
    line(1, "name " + a.name.name, a.name.span);
    for (const auto& t : a.texts) {
      line(1, "text " + quote(t.text.value), t.text.span);
      if (t.lang) line(2, "lang " + t.lang->name, t.lang->span);
    }
  }
  void window(int d, const char* what, const Window& w) {
    line(d, fmt::format("{} {} {}", what, w.amount.text, w.unit.name), w.span);
  }
  void decl(const EntityDecl& e) {
    line(0, "entity " + e.name.name, e.span);
    line(1, "name " + e.name.name, e.name.span);
    line(1, "field " + e.field.str(), e.field.span);
  }
  void decl(const CounterDecl& c) {
    line(0, "counter " + c.name.name, c.span);
    line(1, "name " + c.name.name, c.name.span);
    line(1, "entity " + c.entity.name, c.entity.span);
    switch (c.kind) {
      case CounterDecl::Kind::kEvery:
        line(1, "counts every listing");
        break;
      case CounterDecl::Kind::kWhen:
        line(1, "counts when");
        break;
      case CounterDecl::Kind::kDistinct:
        line(1, "counts distinct " + c.distinct->str(), c.distinct->span);
        break;
    }
    if (c.when) {
      if (c.kind == CounterDecl::Kind::kDistinct) line(1, "when");
      expr(2, c.when.get());
    }
    window(1, "over", c.window);
  }
  void decl(const LabelDecl& l) {
    line(0, "label " + quote(l.name.value), l.span);
    line(1, "entity " + l.entity.name, l.entity.span);
    line(1, "name " + quote(l.name.value), l.name.span);
    window(1, "for", l.lifetime);
    line(1, "when");
    expr(2, l.when.get());
  }
  void decl(const AccountDecideDecl& a) {
    line(0, "decide account", a.span);
    line(1, "entity " + a.entity.name, a.entity.span);
    for (const auto& b : a.branches) {
      line(1, std::string("branch ") + to_string(b.action), b.span);
      line(2, std::string("action ") + to_string(b.action), b.action_span);
      if (b.when) {
        line(2, "when");
        expr(3, b.when.get());
      } else {
        line(2, "otherwise");
      }
    }
  }
  void expectations(int d, const std::vector<Expectation>& list) {
    for (const auto& e : list) {
      using K = Expectation::Kind;
      switch (e.kind) {
        case K::kAction:
          line(d, std::string("expect ") + to_string(e.action), e.span);
          break;
        case K::kFired:
          line(d, "expect fired", e.span);
          break;
        case K::kNotFired:
          line(d, "expect not-fired", e.span);
          break;
        case K::kScore:
          line(d, std::string("expect score ") + to_string(e.compare), e.span);
          break;
        case K::kTag:
          line(d, "expect tag", e.span);
          break;
        case K::kSuggestion:
          line(d, "expect suggest", e.span);
          break;
        case K::kEvidence:
          line(d, "expect evidence", e.span);
          break;
        case K::kAccount:
          line(d, std::string("expect account ") + to_string(e.account), e.span);
          break;
      }
      if (e.name) line(d + 1, "name " + e.name->str(), e.name->span);
      if (e.number) line(d + 1, "number " + e.number->text, e.number->span);
      if (e.text) line(d + 1, "text " + quote(e.text->value), e.text->span);
    }
  }
  void decl(const TestDecl& t) {
    line(0, "test", t.span);
    line(1, "name " + quote(t.name.value), t.name.span);
    value(1, t.listing, "listing ");
    expectations(1, t.expectations);
    for (const auto& step : t.more) {
      line(1, "step", step.span);
      value(2, step.listing, "listing ");
      expectations(2, step.expectations);
    }
  }

 private:
  const base::SourceManager& sources_;
  std::string out_;
};

}  // namespace

std::string dump_ast(const File& file, const base::SourceManager& sources) {
  Dumper d(sources);
  if (file.pack) {
    d.line(0, "pack", file.pack->span);
    d.line(1, "name " + file.pack->name.str(), file.pack->name.span);
    d.line(1, "version " + quote(file.pack->version.value), file.pack->version.span);
  }
  if (file.module) {
    d.line(0, "module", file.module->span);
    d.line(1, "name " + file.module->name.str(), file.module->name.span);
  }
  for (const auto& decl : file.decls) {
    std::visit([&](const auto& x) { d.decl(x); }, decl);
  }
  return d.take();
}

}  // namespace tusk::dsl
