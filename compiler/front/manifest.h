// pack.yaml: the pack's name, version, sources, extra fields and currency table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/source.h"
#include "compiler/front/checked.h"

namespace tusk::compiler::front {

struct ManifestSource {
  std::string path;  // relative to the pack directory
  base::Span span;   // where pack.yaml names it
};

// `limits:` in pack.yaml: bounds a pack promises to stay within, checked when it is loaded
// (max_rules, max_terms) or used as the default gate of a workflow command (min_coverage for
// `tusk test`, max_changed for `tusk diff`).
struct ManifestLimits {
  std::optional<std::uint64_t> max_rules;
  std::optional<std::uint64_t> max_terms;  // lexicon terms of the pack after lexicon algebra
  std::optional<double> min_coverage;      // percent, 0..100
  std::optional<std::uint64_t> max_changed;
  base::Span max_rules_span, max_terms_span;
};

// A language the pack declares it covers (`languages:`): an ISO 639 code as written, with its
// place in pack.yaml (where a coverage warning points).
struct ManifestLanguage {
  std::string code;
  base::Span span;
};

struct Manifest {
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> owners;          // who answers for the pack's verdicts (emails, team names)
  std::vector<ManifestLanguage> languages;  // the languages the pack claims to cover, in order
  std::vector<ManifestSource> tests;        // YAML test files, relative to the pack directory
  ManifestLimits limits;
  std::vector<ManifestSource> sources;  // empty = every *.tusk file in the pack directory
  std::string default_profile = "default";
  base::Span default_profile_span;
  std::vector<stdlib::Field> fields;  // extra fields only; the default schema is added by the checker
  std::vector<base::Span> field_spans;
  std::string base_currency = "USD";
  std::string rates_as_of;
  bool has_currency = false;            // pack.yaml has a `currency` section
  std::map<std::string, double> rates;  // units of base per unit of currency; base is always present
};

// Parses pack.yaml (already added to the source manager as `file`). Every problem is a
// diagnostic located in the YAML; the result holds whatever could be read.
Manifest parse_manifest(const base::SourceFile& file, base::Diagnostics& diags);

// A standalone currency table (std.money: stdlib/money/rates.yaml): the same keys as the
// `currency` section of pack.yaml at the top level. Only the currency fields of the result are set.
Manifest parse_rate_table(const base::SourceFile& file, base::Diagnostics& diags);

// The pack's currency table: std.money's, with the pack's `currency` section on top. A pack
// with another base currency replaces the standard table instead of extending it.
void apply_standard_rates(Manifest& pack, const Manifest& standard);

}  // namespace tusk::compiler::front
