#include "lsp/index.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "dsl/ast.h"
#include "stdlib/fields.h"
#include "stdlib/functions.h"

namespace tusk::lsp {

const char* to_string(SymbolKind k) {
  switch (k) {
    case SymbolKind::kLexicon:
      return "lexicon";
    case SymbolKind::kRule:
      return "rule";
    case SymbolKind::kRegex:
      return "regex";
    case SymbolKind::kAlternative:
      return "alternative";
    case SymbolKind::kModule:
      return "module";
  }
  return "";
}

namespace {

bool contains(base::Span s, base::SourceId source, std::uint32_t offset) {
  return s.source == source && s.begin <= offset && offset <= s.end;
}

class Builder {
 public:
  Builder(const compiler::front::LoadedPack& pack, std::map<std::string, Symbol>& symbols,
          std::vector<Occurrence>& occ, std::map<base::SourceId, std::string>& modules)
      : pack_(pack), symbols_(symbols), occ_(occ), modules_(modules) {
    if (pack.checked) {
      for (const auto& f : pack.checked->fields) fields_.insert(f.path);
    } else {
      for (const auto& f : stdlib::default_fields()) fields_.insert(f.path);
    }
    fields_.insert("text");
  }

  void declare_all() {
    for (const auto& file : pack_.files) {
      const std::string module = file.module ? file.module->name.str() : "";
      modules_[file.source] = module;
      if (file.module) {
        add({SymbolKind::kModule, module, file.module->name.span, file.module->span, &file});
      }
      const std::string prefix = module.empty() ? "" : module + ".";
      for (const auto& decl : file.decls) {
        if (const auto* d = std::get_if<dsl::LexiconDecl>(&decl)) {
          add({SymbolKind::kLexicon, prefix + d->name.name, d->name.span, d->span, d});
        } else if (const auto* d = std::get_if<dsl::RuleDecl>(&decl)) {
          add({SymbolKind::kRule, prefix + d->name.name, d->name.span, d->span, d});
        } else if (const auto* d = std::get_if<dsl::RegexDecl>(&decl)) {
          add({SymbolKind::kRegex, prefix + d->name.name, d->name.span, d->span, d});
        } else if (const auto* d = std::get_if<dsl::AlternativeDecl>(&decl)) {
          add({SymbolKind::kAlternative, prefix + d->name.name, d->name.span, d->span, d});
        }
      }
    }
  }

  void reference_all() {
    for (const auto& file : pack_.files) {
      module_ = file.module ? file.module->name.str() : "";
      for (const auto& decl : file.decls) {
        if (const auto* d = std::get_if<dsl::UseDecl>(&decl)) {
          if (d->module) name(d->module->str(), d->module->span);
        } else if (const auto* d = std::get_if<dsl::LexiconDecl>(&decl)) {
          if (d->body) lexicon(*d->body);
        } else if (const auto* d = std::get_if<dsl::RuleDecl>(&decl)) {
          if (d->when) expr(*d->when);
          if (d->reason) templ(*d->reason);
          if (d->message) templ(*d->message);
        } else if (const auto* d = std::get_if<dsl::DecideDecl>(&decl)) {
          for (const auto& b : d->branches) {
            if (b.when) expr(*b.when);
            if (b.message) templ(*b.message);
          }
        } else if (const auto* d = std::get_if<dsl::SuggestDecl>(&decl)) {
          if (d->alternative) name(d->alternative->str(), d->alternative->span);
          if (d->when) expr(*d->when);
        } else if (const auto* d = std::get_if<dsl::TestDecl>(&decl)) {
          for (const auto& e : d->expectations) {
            if (e.name) name(e.name->str(), e.name->span);
          }
        }
      }
    }
  }

 private:
  void add(Symbol s) { symbols_.emplace(s.key, std::move(s)); }

  std::optional<std::string> resolve(const std::string& written) const {
    if (!module_.empty()) {
      const std::string k = module_ + "." + written;
      if (symbols_.count(k) != 0) return k;
    }
    if (symbols_.count(written) != 0) return written;
    return std::nullopt;
  }

  void name(const std::string& written, base::Span span) {
    if (auto k = resolve(written)) {
      occ_.push_back({Occurrence::Kind::kSymbol, *k, span});
    } else if (fields_.count(written) != 0) {
      occ_.push_back({Occurrence::Kind::kField, written, span});
    } else {
      occ_.push_back({Occurrence::Kind::kUnknown, written, span});
    }
  }

  void lexicon(const dsl::LexiconExpr& e) {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, dsl::LexiconRef>) {
            name(n.name.str(), n.name.span);
          } else if constexpr (std::is_same_v<T, dsl::LexiconBinary>) {
            if (n.lhs) lexicon(*n.lhs);
            if (n.rhs) lexicon(*n.rhs);
          }
        },
        e.node);
  }

  void expr(const dsl::Expr& e) {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, dsl::NameExpr>) {
            name(n.name.str(), n.name.span);
          } else if constexpr (std::is_same_v<T, dsl::UnaryExpr>) {
            if (n.operand) expr(*n.operand);
          } else if constexpr (std::is_same_v<T, dsl::BinaryExpr>) {
            if (n.lhs) expr(*n.lhs);
            if (n.rhs) expr(*n.rhs);
          } else if constexpr (std::is_same_v<T, dsl::InSetExpr>) {
            if (n.value) expr(*n.value);
            for (const auto& x : n.elements) {
              if (x) expr(*x);
            }
          } else if constexpr (std::is_same_v<T, dsl::ConvertExpr>) {
            if (n.money) expr(*n.money);
          } else if constexpr (std::is_same_v<T, dsl::MentionsExpr>) {
            if (n.field) expr(*n.field);
            if (n.lexicon) expr(*n.lexicon);
          } else if constexpr (std::is_same_v<T, dsl::MatchesExpr>) {
            if (n.field) expr(*n.field);
            if (n.regex) expr(*n.regex);
          } else if constexpr (std::is_same_v<T, dsl::CallExpr>) {
            const std::string callee = n.callee.str();
            occ_.push_back(
                {stdlib::find_function(callee) ? Occurrence::Kind::kFunction : Occurrence::Kind::kUnknown,
                 callee, n.callee.span});
            for (const auto& a : n.args) {
              if (a) expr(*a);
            }
            if (n.within && n.within->distance) expr(*n.within->distance);
          }
        },
        e.node);
  }

  // Names inside `{...}` placeholders of a reason or message, found in the literal as written
  // so that their spans are exact.
  void templ(const dsl::StringLit& s) {
    if (!s.span.valid()) return;
    const std::string_view raw = pack_.sources.file(s.span.source).slice(s.span);
    std::size_t i = 0;
    while ((i = raw.find('{', i)) != std::string_view::npos) {
      const std::size_t close = raw.find('}', i);
      if (close == std::string_view::npos) break;
      std::size_t j = i + 1;
      while (j < close) {
        const unsigned char c = static_cast<unsigned char>(raw[j]);
        if (std::isalpha(c) || c == '_') {
          std::size_t k = j;
          while (k < close &&
                 (std::isalnum(static_cast<unsigned char>(raw[k])) || raw[k] == '_' || raw[k] == '.')) {
            ++k;
          }
          const bool call = k < close && raw[k] == '(';
          if (!call) {
            const std::uint32_t b = s.span.begin + static_cast<std::uint32_t>(j);
            name(std::string(raw.substr(j, k - j)),
                 {s.span.source, b, b + static_cast<std::uint32_t>(k - j)});
          }
          j = k;
        } else {
          ++j;
        }
      }
      i = close + 1;
    }
  }

  const compiler::front::LoadedPack& pack_;
  std::map<std::string, Symbol>& symbols_;
  std::vector<Occurrence>& occ_;
  std::map<base::SourceId, std::string>& modules_;
  std::set<std::string> fields_;
  std::string module_;
};

}  // namespace

Index::Index(const compiler::front::LoadedPack& pack) {
  Builder b(pack, symbols_, occurrences_, modules_);
  b.declare_all();
  b.reference_all();
}

const Symbol* Index::find(const std::string& key) const {
  auto it = symbols_.find(key);
  return it == symbols_.end() ? nullptr : &it->second;
}

const Symbol* Index::symbol_at(base::SourceId source, std::uint32_t offset) const {
  for (const auto& [key, s] : symbols_) {
    if (contains(s.name_span, source, offset)) return &s;
  }
  return nullptr;
}

const Occurrence* Index::occurrence_at(base::SourceId source, std::uint32_t offset) const {
  const Occurrence* best = nullptr;
  for (const auto& o : occurrences_) {
    if (contains(o.span, source, offset) &&
        (best == nullptr || o.span.end - o.span.begin < best->span.end - best->span.begin)) {
      best = &o;
    }
  }
  return best;
}

std::vector<const Occurrence*> Index::references(const std::string& key) const {
  std::vector<const Occurrence*> out;
  for (const auto& o : occurrences_) {
    if (o.kind == Occurrence::Kind::kSymbol && o.key == key) out.push_back(&o);
  }
  std::sort(out.begin(), out.end(), [](const Occurrence* a, const Occurrence* b) {
    return std::tie(a->span.source, a->span.begin) < std::tie(b->span.source, b->span.begin);
  });
  return out;
}

const std::string& Index::module_of(base::SourceId source) const {
  static const std::string kNone;
  auto it = modules_.find(source);
  return it == modules_.end() ? kNone : it->second;
}

}  // namespace tusk::lsp
