// The checker: resolves names, types expressions and lints a parsed pack, producing the
// checked representation. The driver (driver.cpp) reads files; the checker never does I/O
// except through the lexicon loader it is given.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "compiler/front/check_cache.h"
#include "compiler/front/checked.h"
#include "compiler/front/manifest.h"
#include "dsl/ast.h"

namespace tusk::compiler::front {

struct CheckUnit {
  const dsl::File* file = nullptr;
  // "std.wildlife.ivory" for a `use std...` module: its declarations are named
  // `std.wildlife.ivory.NAME`. Empty for the pack's own files and `use "file.tusk"` files,
  // whose declarations share the pack's namespace.
  std::string module;
  std::string dir;  // the file's directory, for `load("...")`
};

// Reads a lexicon YAML file named by `load("...")` relative to `dir`; reports its problems
// and returns null when it could not be read.
using LexiconLoader = std::function<std::optional<std::vector<CheckedTerm>>(const std::string& dir,
                                                                            const dsl::StringLit& path)>;

struct CheckInput {
  std::string name;
  std::string version;
  std::vector<CheckUnit> units;  // pack files first
  Manifest manifest;             // defaults when the pack is a single file
  base::Span pack_span;          // where to report pack-wide problems (missing decide)
  LexiconLoader load_lexicon;
  // Where check results already known are kept (check_cache.h): the regexes' compile check.
  CheckCacheOptions cache;
};

// Reports every problem it finds; returns the checked pack only when there were no errors.
std::unique_ptr<CheckedPack> check_pack(const CheckInput& input, const base::SourceManager& sources,
                                        base::Diagnostics& diags);

// Compiles a regex with Vectorscan the way the runtime will; returns its error message.
std::optional<std::string> regex_error(const std::string& pattern, const std::string& flags);
// What names a list of (pattern, flags) that all passed regex_error, with the Vectorscan version
// that compiled them: the key under which check_cache.h remembers that they did.
std::string regex_check_key(const std::vector<std::pair<std::string, std::string>>& regexes);

// "did you mean": the closest candidate, counting a swap of two neighbouring letters as one
// edit ("titel" -> "title"), within a third of the name's length.
std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// The normalization profiles the runtime knows.
const std::vector<std::string>& known_profiles();

// A `reason`/`message` template split into parts; names inside are resolved by `resolve`,
// which reports problems itself (at the given span inside the string) and returns false.
struct TemplatePiece {
  stdlib::TemplateKind kind = stdlib::TemplateKind::kLiteral;
  std::string literal;  // kLiteral
  std::string arg;      // the name inside: `{hits(arg)}`, `{arg}` for a field
  base::Span arg_span;  // span of the name in the source
  base::Span span;      // span of the whole placeholder
};
// Splits `lit` (whose span covers the quotes) into pieces; malformed placeholders are E044.
std::vector<TemplatePiece> split_template(const dsl::StringLit& lit, const base::SourceFile& file,
                                          base::Diagnostics& diags);

// Lexicon files: `terms: [ {term: "ivory", lang: en, ...} | "plain" ]`.
std::optional<std::vector<CheckedTerm>> parse_lexicon_file(const base::SourceFile& file,
                                                           base::Diagnostics& diags);

}  // namespace tusk::compiler::front
