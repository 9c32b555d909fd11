// What the names in a pack's files refer to, built from the parsed files alone (so that it
// works while the pack has errors): declarations of lexicons, rules, regexes, alternatives and
// modules, and every place that names one. Names in a module file are qualified with the
// module's name (`std.wildlife.ivory.names`); a bare name in a module resolves in the module
// first.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/source.h"
#include "compiler/front/driver.h"

namespace tusk::lsp {

enum class SymbolKind { kLexicon, kRule, kRegex, kAlternative, kModule };
const char* to_string(SymbolKind k);

struct Symbol {
  SymbolKind kind = SymbolKind::kLexicon;
  std::string key;             // qualified name
  base::Span name_span;        // the name in its declaration
  base::Span decl_span;        // the whole declaration
  const void* decl = nullptr;  // dsl::LexiconDecl / RuleDecl / RegexDecl / AlternativeDecl / File
};

// A place in the source that names something.
struct Occurrence {
  enum class Kind { kSymbol, kField, kFunction, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string key;  // symbol key, field path or function name; the name as written if unknown
  base::Span span;
};

class Index {
 public:
  explicit Index(const compiler::front::LoadedPack& pack);

  const Symbol* find(const std::string& key) const;
  // The declaration name or occurrence under a byte offset of a source.
  const Symbol* symbol_at(base::SourceId source, std::uint32_t offset) const;
  const Occurrence* occurrence_at(base::SourceId source, std::uint32_t offset) const;
  std::vector<const Occurrence*> references(const std::string& key) const;

  const std::map<std::string, Symbol>& symbols() const { return symbols_; }
  const std::vector<Occurrence>& occurrences() const { return occurrences_; }
  // Module name of a file ("" for pack files).
  const std::string& module_of(base::SourceId source) const;

 private:
  std::map<std::string, Symbol> symbols_;
  std::vector<Occurrence> occurrences_;
  std::map<base::SourceId, std::string> modules_;
};

}  // namespace tusk::lsp
