// Problems in the user's pack are data: a list of diagnostics returned by every stage,
// never thrown across an API boundary. Each has a stable code (E0xx error, W0xx warning)
// listed once in diagnostic_codes.def.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.h"

namespace tusk::base {

enum class Severity { kError, kWarning, kNote };

enum class DiagCode {
#define TUSK_DIAG(enumerator, id, severity, name, summary) enumerator,
#include "base/diagnostic_codes.def"
#undef TUSK_DIAG
};

struct DiagCodeInfo {
  DiagCode code;
  std::string_view id;  // "E012"
  Severity severity;
  std::string_view name;     // "unknown-lexicon": stable, used to switch warnings off
  std::string_view summary;  // one line for the catalogue
};

const DiagCodeInfo& info(DiagCode code);
const std::vector<DiagCodeInfo>& all_diag_codes();
std::optional<DiagCode> diag_code_from_id(std::string_view id_or_name);

struct Label {
  Span span;
  std::string message;
};

// A suggested edit: replace the text at `span` with `replacement`.
struct Fix {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  DiagCode code{};
  Severity severity = Severity::kError;
  std::string message;              // headline: "unknown lexicon `ivory_nmes`"
  Label primary;                    // where, and what is wrong there
  std::vector<Label> secondary;     // related places ("first defined here")
  std::vector<std::string> notes;   // `= note: ...`
  std::optional<std::string> help;  // `= help: did you mean `ivory_names`?`
  std::optional<Fix> fix;
};

// Builder so that stages write `diags.error(DiagCode::kUnknownLexicon, span, msg).help(...)`.
class DiagnosticBuilder {
 public:
  explicit DiagnosticBuilder(Diagnostic& d) : d_(d) {}
  DiagnosticBuilder& label(std::string message) {
    d_.primary.message = std::move(message);
    return *this;
  }
  DiagnosticBuilder& note(std::string note) {
    d_.notes.push_back(std::move(note));
    return *this;
  }
  DiagnosticBuilder& help(std::string help) {
    d_.help = std::move(help);
    return *this;
  }
  DiagnosticBuilder& secondary(Span span, std::string message) {
    d_.secondary.push_back({span, std::move(message)});
    return *this;
  }
  DiagnosticBuilder& fix(Span span, std::string replacement) {
    d_.fix = Fix{span, std::move(replacement)};
    return *this;
  }

 private:
  Diagnostic& d_;
};

class Diagnostics {
 public:
  // Severity comes from the code's catalogue entry.
  DiagnosticBuilder report(DiagCode code, Span span, std::string message);

  const std::vector<Diagnostic>& all() const { return diags_; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool has_errors() const { return error_count() > 0; }
  void append(const Diagnostics& other);
  // Order by source, then offset, so that output is stable whatever order stages ran in.
  void sort();
  // Drop warnings the user switched off (by id "W003" or name "unused-lexicon").
  void suppress(const std::vector<std::string>& ids_or_names);

 private:
  std::vector<Diagnostic> diags_;
};

// Rendering. rustc-style text: `error[E012]: ...` / ` --> file:line:col` / the source line /
// carets under the whole token / `= help: ...`. JSON: one object per diagnostic.
struct RenderOptions {
  bool color = false;
};
std::string render_text(const Diagnostic& d, const SourceManager& sources, const RenderOptions& = {});
std::string render_text(const Diagnostics& ds, const SourceManager& sources, const RenderOptions& = {});
std::string render_json(const Diagnostics& ds, const SourceManager& sources);

// "did you mean": the closest candidate by edit distance, if it is close enough.
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace tusk::base
