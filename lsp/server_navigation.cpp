// The language server: positions, definitions, references and hover (lsp/server_impl.h).
#include "lsp/server_impl.h"

namespace tusk::lsp {

Server::Target Server::target(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  PackState& st = state_for(uri);
  const base::SourceFile* f = st.loaded->sources.find(docs_.at(uri).path);
  if (f == nullptr) {
    throw RequestError{kRequestFailed, fmt::format("`{}` is not a source of its pack", uri)};
  }
  const auto& p = params.at("position");
  const std::uint32_t off =
      lines(*f).offset({p.at("line").get<std::uint32_t>(), p.at("character").get<std::uint32_t>()});
  return {&st, f, off};
}

const Symbol* Server::symbol_at(const Target& t) {
  if (const Symbol* s = t.st->index->symbol_at(t.file->id(), t.offset)) return s;
  if (const Occurrence* o = t.st->index->occurrence_at(t.file->id(), t.offset);
      o && o->kind == Occurrence::Kind::kSymbol) {
    return t.st->index->find(o->key);
  }
  return nullptr;
}

json Server::definition(const json& params) {
  Target t = target(params);
  const Symbol* s = symbol_at(t);
  if (s == nullptr) return nullptr;
  return location(*t.st->loaded, s->kind == SymbolKind::kModule ? s->decl_span : s->name_span);
}

json Server::references(const json& params) {
  Target t = target(params);
  const Symbol* s = symbol_at(t);
  if (s == nullptr) return json::array();
  json out = json::array();
  const bool with_decl = params.contains("context") && params["context"].value("includeDeclaration", false);
  if (with_decl) out.push_back(location(*t.st->loaded, s->name_span));
  for (const Occurrence* o : t.st->index->references(s->key)) {
    out.push_back(location(*t.st->loaded, o->span));
  }
  return out;
}

json Server::hover(const json& params) {
  Target t = target(params);
  const Index& index = *t.st->index;
  std::string md;
  base::Span span;
  if (const Symbol* s = symbol_at(t)) {
    md = describe(*t.st, *s);
    const Occurrence* o = index.occurrence_at(t.file->id(), t.offset);
    span = o && o->kind == Occurrence::Kind::kSymbol ? o->span : s->name_span;
    if (s->name_span.source == t.file->id() && s->name_span.begin <= t.offset &&
        t.offset <= s->name_span.end) {
      span = s->name_span;
    }
  } else if (const Occurrence* o = index.occurrence_at(t.file->id(), t.offset)) {
    span = o->span;
    if (o->kind == Occurrence::Kind::kField) {
      md = describe_field(*t.st, o->key);
    } else if (o->kind == Occurrence::Kind::kFunction) {
      const auto* fn = stdlib::find_function(o->key);
      if (fn) md = fmt::format("**function** `{}`\n\n{}", fn->name, fn->doc);
    }
  }
  if (md.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", md}}}, {"range", range_of(*t.st->loaded, span)}};
}

std::string Server::describe_field(const PackState& st, const std::string& path) {
  if (path == "text") {
    std::vector<std::string> parts;
    const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
    for (const auto& f : fields) {
      if (f.in_text) parts.push_back(md_code(f.path));
    }
    return fmt::format("**field** `text`: every free-text field of the listing ({})", fmt::join(parts, ", "));
  }
  const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
  for (const auto& f : fields) {
    if (f.path == path) {
      return fmt::format("**field** `{}`: {}{}", f.path, stdlib::to_string(f.type),
                         f.in_text ? " (part of `text`)" : "");
    }
  }
  return "";
}

const compiler::front::CheckedLexicon* Server::checked_lexicon(const PackState& st,
                                                               const std::string& key) const {
  if (!st.good) return nullptr;
  for (const auto& l : st.good->checked->lexicons) {
    if (l.name == key) return &l;
  }
  return nullptr;
}

std::string Server::one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Server::describe(const PackState& st, const Symbol& s) {
  const compiler::front::LoadedPack& lp = *st.loaded;
  switch (s.kind) {
    case SymbolKind::kLexicon: {
      const auto* d = static_cast<const dsl::LexiconDecl*>(s.decl);
      std::string md = fmt::format("**lexicon** `{}`", s.key);
      if (const auto* l = checked_lexicon(st, s.key)) {
        md += fmt::format(" — {} term{}, profile `{}`\n\n", l->terms.size(), l->terms.size() == 1 ? "" : "s",
                          l->profile.empty() ? st.good->checked->default_profile : l->profile);
        std::map<std::string, int> langs;
        for (const auto& term : l->terms) ++langs[term.lang.empty() ? "untagged" : term.lang];
        std::vector<std::string> lang_list;
        lang_list.reserve(langs.size());
        for (const auto& [lang, n] : langs) lang_list.push_back(fmt::format("{} {}", lang, n));
        md += fmt::format("Languages: {}\n\n", fmt::join(lang_list, ", "));
        md += "| term | lang | source |\n|---|---|---|\n";
        for (std::size_t i = 0; i < l->terms.size() && i < kHoverTerms; ++i) {
          const auto& term = l->terms[i];
          std::string text = term.text + (term.prefix ? "*" : "") +
                             (term.edit_distance ? fmt::format("~{}", term.edit_distance) : "");
          std::string source = term.source.empty() ? std::string("—") : term.source;
          if (!term.status.empty()) source += fmt::format(" ({})", term.status);
          for (auto* cell : {&text, &source}) {
            std::string esc;
            for (char c : *cell) esc += c == '|' ? std::string("\\|") : std::string(1, c);
            *cell = esc;
          }
          md += fmt::format("| {} | {} | {} |\n", text, term.lang.empty() ? "—" : term.lang, source);
        }
        if (l->terms.size() > kHoverTerms) {
          md += fmt::format("\n… and {} more (`tusk lexicon show {}`)", l->terms.size() - kHoverTerms, s.key);
        }
        return md;
      }
      // Not checked (the pack has errors, or the lexicon is not used): what is written.
      if (d != nullptr && d->profile) md += fmt::format(", profile `{}`", d->profile->name);
      if (d != nullptr && d->body) {
        md += fmt::format("\n\n```tusk\n{}\n```", lp.sources.file(d->body->span.source).slice(d->body->span));
      }
      return md;
    }
    case SymbolKind::kRule: {
      const auto* d = static_cast<const dsl::RuleDecl*>(s.decl);
      std::string md = fmt::format("**rule** `{}`", s.key);
      if (d->score) md += fmt::format(" — score {}", d->score->text);
      if (d->when) {
        md += fmt::format("\n\n```tusk\nwhen {}\n```",
                          one_line(lp.sources.file(d->when->span.source).slice(d->when->span)));
        // What each name in the condition resolves to.
        std::vector<std::string> seen;
        std::string names;
        for (const auto& o : st.index->occurrences()) {
          if (o.span.source != d->when->span.source || o.span.begin < d->when->span.begin ||
              o.span.end > d->when->span.end) {
            continue;
          }
          const std::string written(lp.sources.file(o.span.source).slice(o.span));
          if (std::find(seen.begin(), seen.end(), written) != seen.end()) continue;
          seen.push_back(written);
          names += fmt::format("- `{}`: {}\n", written, resolved(st, o));
        }
        if (!names.empty()) md += "\n\n" + names;
      }
      if (d->reason) md += fmt::format("\n\nreason: {}", d->reason->value);
      if (!d->tags.empty()) {
        std::vector<std::string> tags;
        for (const auto& tg : d->tags) tags.push_back(md_code(tg.value));
        md += fmt::format("\n\ntags: {}", fmt::join(tags, ", "));
      }
      return md;
    }
    case SymbolKind::kRegex: {
      const auto* d = static_cast<const dsl::RegexDecl*>(s.decl);
      return fmt::format("**regex** `{}`\n\n```tusk\n/{}/{}\n```", s.key, d->regex.pattern, d->regex.flags);
    }
    case SymbolKind::kAlternative: {
      const auto* d = static_cast<const dsl::AlternativeDecl*>(s.decl);
      std::string md = fmt::format("**alternative** `{}`", s.key);
      for (const auto& t : d->texts) {
        md += fmt::format("\n\n{}{}", t.lang ? fmt::format("[{}] ", t.lang->name) : "", t.text.value);
      }
      return md;
    }
    case SymbolKind::kModule: {
      std::size_t lexicons = 0, rules = 0;
      for (const auto& [k, sym] : st.index->symbols()) {
        if (k.size() > s.key.size() && k.compare(0, s.key.size() + 1, s.key + ".") == 0) {
          lexicons += sym.kind == SymbolKind::kLexicon;
          rules += sym.kind == SymbolKind::kRule;
        }
      }
      const std::string path = lp.sources.file(s.name_span.source).path();
      std::string rel = path;
      if (!stdlib_dir_.empty() && path.rfind(stdlib_dir_ + "/", 0) == 0) {
        rel = "stdlib/" + path.substr(stdlib_dir_.size() + 1);
      }
      return fmt::format("**module** `{}` — {} lexicon{}, {} rule{}\n\n{}", s.key, lexicons,
                         lexicons == 1 ? "" : "s", rules, rules == 1 ? "" : "s", md_code(rel));
    }
  }
  return "";
}

std::string Server::resolved(const PackState& st, const Occurrence& o) {
  switch (o.kind) {
    case Occurrence::Kind::kSymbol: {
      const Symbol* s = st.index->find(o.key);
      if (s == nullptr) return "?";
      if (s->kind == SymbolKind::kLexicon) {
        if (const auto* l = checked_lexicon(st, s->key)) {
          return fmt::format("lexicon `{}`, {} term{}", s->key, l->terms.size(),
                             l->terms.size() == 1 ? "" : "s");
        }
      }
      if (s->kind == SymbolKind::kRule) {
        const auto* d = static_cast<const dsl::RuleDecl*>(s->decl);
        return fmt::format("rule `{}`{}", s->key, d->score ? fmt::format(" (score {})", d->score->text) : "");
      }
      return fmt::format("{} `{}`", to_string(s->kind), s->key);
    }
    case Occurrence::Kind::kField: {
      if (o.key == "text") return "the listing's free text";
      const auto fields = st.good ? st.good->checked->fields : stdlib::default_fields();
      for (const auto& f : fields) {
        if (f.path == o.key) return fmt::format("field, {}", stdlib::to_string(f.type));
      }
      return "field";
    }
    case Occurrence::Kind::kFunction:
      return "function";
    case Occurrence::Kind::kUnknown:
      return "not defined";
  }
  return "";
}

}  // namespace tusk::lsp
