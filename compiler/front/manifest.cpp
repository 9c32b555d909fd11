#include "compiler/front/manifest.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>

#include "compiler/front/checker.h"
#include "compiler/front/language_code.h"
#include "compiler/front/yaml_bounds.h"
#include "compiler/front/yaml_span.h"

namespace tusk::compiler::front {
namespace {

constexpr const char* kKnownKeys[] = {"name",     "version",  "description", "sources", "default_profile",
                                      "fields",   "currency", "owners",      "tests",   "limits",
                                      "languages"};

bool is_currency_code(const std::string& s) {
  return s.size() == 3 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1])) && std::isupper(static_cast<unsigned char>(s[2]));
}

class ManifestReader {
 public:
  ManifestReader(const base::SourceFile& file, base::Diagnostics& diags) : file_(file), diags_(diags) {}

  Manifest read() {
    if (auto bounds = check_yaml_aliases(file_.text())) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, bounds->mark),
                  fmt::format("pack.yaml has {}", bounds->message))
          .label("this alias is over the limit")
          .help(fmt::format("write the values out; at most {} aliases adding at most {} MiB are expanded",
                            kMaxYamlAliases, kMaxYamlAliasBytes >> 20));
      return std::move(m_);
    }
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::ParserException& e) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, e.mark),
                  fmt::format("pack.yaml is not valid YAML: {}", e.msg))
          .label("here");
      return std::move(m_);
    }
    if (!root.IsMap()) {
      diags_
          .report(base::DiagCode::kBadManifest, whole_file(), "pack.yaml must be a mapping of keys to values")
          .help("start with `name: my.pack` and `version: \"0.1.0\"`");
      return std::move(m_);
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node value = it->second;  // a copy: `->` yields a temporary
      if (key == "name") {
        m_.name = text(value, "name");
      } else if (key == "version") {
        m_.version = text(value, "version");
      } else if (key == "description") {
        m_.description = text(value, "description");
      } else if (key == "default_profile") {
        m_.default_profile = text(value, "default_profile");
        m_.default_profile_span = yaml_span(file_, value);
      } else if (key == "sources") {
        sources(value);
      } else if (key == "fields") {
        fields(value);
      } else if (key == "currency") {
        currency(value);
      } else if (key == "owners") {
        owners(value);
      } else if (key == "languages") {
        languages(value);
      } else if (key == "tests") {
        tests(value);
      } else if (key == "limits") {
        limits(value);
      } else {
        unknown_key(it->first, key);
      }
    }
    if (!root["name"]) missing("name", "name: my.pack");
    if (!root["version"]) missing("version", "version: \"0.1.0\"");
    return std::move(m_);
  }

 private:
  base::Span whole_file() const {
    return {file_.id(), 0, static_cast<std::uint32_t>(file_.line_text(1).size())};
  }

  void missing(const char* key, const char* example) {
    diags_.report(base::DiagCode::kBadManifest, whole_file(), fmt::format("pack.yaml has no `{}`", key))
        .label(fmt::format("`{}` is required", key))
        .help(fmt::format("add a line `{}`", example));
  }

  void unknown_key(const YAML::Node& key_node, const std::string& key) {
    std::vector<std::string> known(std::begin(kKnownKeys), std::end(kKnownKeys));
    auto b = diags_.report(base::DiagCode::kUnknownManifestKey, yaml_span(file_, key_node),
                           fmt::format("unknown key `{}` in pack.yaml is ignored", key));
    b.label("not used by this version of tusk");
    if (auto near = did_you_mean(key, known)) b.help(fmt::format("did you mean `{}`?", *near));
  }

  std::string text(const YAML::Node& n, const char* what) {
    if (!n.IsScalar()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  fmt::format("`{}` must be a text value", what))
          .label("expected text");
      return {};
    }
    return n.Scalar();
  }

  void sources(const YAML::Node& n) {
    if (!n.IsSequence()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  "`sources` must be a list of .tusk files")
          .label("expected a list")
          .help("write `sources: [main.tusk, rules/ivory.tusk]`");
      return;
    }
    for (const auto& item : n) {
      const std::string path = text(item, "sources item");
      if (path.empty()) continue;
      if (path.size() < 5 || path.substr(path.size() - 5) != ".tusk") {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, item),
                    fmt::format("source `{}` is not a .tusk file", path))
            .label("expected a path ending in `.tusk`");
        continue;
      }
      m_.sources.push_back({path, yaml_span(file_, item)});
    }
  }

  void owners(const YAML::Node& n) {
    if (n.IsScalar()) {
      m_.owners.push_back(n.Scalar());
      return;
    }
    if (!n.IsSequence()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  "`owners` must be a list of names or emails")
          .label("expected a list")
          .help("write `owners: [policy-team@example.org]`");
      return;
    }
    for (const auto& item : n) {
      const std::string owner = text(item, "owners item");
      if (!owner.empty()) m_.owners.push_back(owner);
    }
  }

  // `languages: [en, zh, vi]`: ISO 639 codes, optionally with subtags (`zh-Hant`); the primary
  // subtag must be a code ICU knows. `tusk check` warns for a family used without a name in one.
  void languages(const YAML::Node& n) {
    if (!n.IsSequence()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  "`languages` must be a list of language codes")
          .label("expected a list")
          .help("write `languages: [en, zh, vi]` (ISO 639 codes)");
      return;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, item),
                    "a `languages` item must be a language code")
            .label("expected a code such as `en`");
        continue;
      }
      const std::string code = item.Scalar();
      if (!is_language_code(code)) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, item),
                    fmt::format("`{}` is not an ISO 639 language code", code))
            .label("unknown language")
            .help("write lower-case ISO 639 codes, e.g. `en`, `zh`, `vi`, `sw`, `pt-BR`");
        continue;
      }
      bool repeated = false;
      for (const auto& l : m_.languages) repeated = repeated || l.code == code;
      if (repeated) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, item),
                    fmt::format("language `{}` is listed twice", code))
            .label("again here");
        continue;
      }
      m_.languages.push_back({code, yaml_span(file_, item)});
    }
  }

  void tests(const YAML::Node& n) {
    if (!n.IsSequence()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  "`tests` must be a list of YAML test files")
          .label("expected a list")
          .help("write `tests: [tests/cases.yaml]`");
      return;
    }
    for (const auto& item : n) {
      const std::string path = text(item, "tests item");
      if (path.empty()) continue;
      if (!path.ends_with(".yaml") && !path.ends_with(".yml")) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, item),
                    fmt::format("test file `{}` is not a YAML file", path))
            .label("expected a path ending in `.yaml`");
        continue;
      }
      m_.tests.push_back({path, yaml_span(file_, item)});
    }
  }

  void limits(const YAML::Node& n) {
    if (!n.IsMap()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n),
                  "`limits` must map limit names to numbers")
          .label("expected a mapping")
          .help("write `limits: { max_rules: 200, min_coverage: 90 }`");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node v = it->second;
      double d = -1;
      bool ok = v.IsScalar();
      if (ok) {
        char* end = nullptr;
        d = std::strtod(v.Scalar().c_str(), &end);
        ok = !v.Scalar().empty() && end && *end == '\0' && d >= 0;
      }
      const bool percent = key == "min_coverage";
      if (key != "max_rules" && key != "max_terms" && key != "min_coverage" && key != "max_changed") {
        auto b = diags_.report(base::DiagCode::kUnknownManifestKey, yaml_span(file_, it->first),
                               fmt::format("unknown limit `{}` in pack.yaml is ignored", key));
        b.label("not used by this version of tusk");
        if (auto near = did_you_mean(key, {"max_rules", "max_terms", "min_coverage", "max_changed"})) {
          b.help(fmt::format("did you mean `{}`?", *near));
        }
        continue;
      }
      if (!ok || (percent ? d > 100 : d != static_cast<double>(static_cast<std::uint64_t>(d)))) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, v),
                    percent ? std::string("`min_coverage` must be a percentage from 0 to 100")
                            : fmt::format("`{}` must be a whole number, 0 or more", key))
            .label(percent ? "expected 0 to 100" : "expected a count");
        continue;
      }
      if (key == "max_rules") {
        m_.limits.max_rules = static_cast<std::uint64_t>(d), m_.limits.max_rules_span = yaml_span(file_, v);
      } else if (key == "max_terms") {
        m_.limits.max_terms = static_cast<std::uint64_t>(d), m_.limits.max_terms_span = yaml_span(file_, v);
      } else if (key == "min_coverage") {
        m_.limits.min_coverage = d;
      } else {
        m_.limits.max_changed = static_cast<std::uint64_t>(d);
      }
    }
  }

  void fields(const YAML::Node& n) {
    if (!n.IsMap()) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, n), "`fields` must map field paths to types")
          .label("expected a mapping")
          .help("write `fields: { seller.account_age_days: number }`");
      return;
    }
    static const std::vector<std::string> kTypes = {"text", "text_list", "number", "money", "bool"};
    for (auto it = n.begin(); it != n.end(); ++it) {
      stdlib::Field f;
      f.path = it->first.Scalar();
      std::string type;
      const YAML::Node v = it->second;
      // yaml-cpp's Node assignment writes through to the tree, so pick the node once.
      const YAML::Node type_node = v.IsMap() ? v["type"] : v;
      if (v.IsMap()) {
        if (!type_node) {
          diags_
              .report(base::DiagCode::kBadManifest, yaml_span(file_, it->first),
                      fmt::format("field `{}` has no `type`", f.path))
              .label("needs a type")
              .help("write `{ type: text, in_text: true }`");
          continue;
        }
        if (const YAML::Node in_text = v["in_text"]) {
          const std::string s = in_text.IsScalar() ? in_text.Scalar() : "";
          if (s == "true") {
            f.in_text = true;
          } else if (s != "false") {
            diags_
                .report(base::DiagCode::kBadManifest, yaml_span(file_, in_text),
                        "`in_text` must be true or false")
                .label("expected true or false");
          }
        }
      }
      type = type_node.IsScalar() ? type_node.Scalar() : "";
      if (type == "text") {
        f.type = stdlib::FieldType::kText;
      } else if (type == "text_list") {
        f.type = stdlib::FieldType::kTextList;
      } else if (type == "number") {
        f.type = stdlib::FieldType::kNumber;
      } else if (type == "money") {
        f.type = stdlib::FieldType::kMoney;
      } else if (type == "bool") {
        f.type = stdlib::FieldType::kBool;
      } else {
        auto b = diags_.report(base::DiagCode::kBadManifest, yaml_span(file_, type_node),
                               fmt::format("field `{}` has unknown type `{}`", f.path, type));
        b.label("expected text, text_list, number, money or bool");
        if (auto near = did_you_mean(type, kTypes)) b.help(fmt::format("did you mean `{}`?", *near));
        continue;
      }
      if (f.in_text && f.type != stdlib::FieldType::kText && f.type != stdlib::FieldType::kTextList) {
        diags_
            .report(base::DiagCode::kBadManifest, yaml_span(file_, it->first),
                    fmt::format("field `{}` is a {}; only text fields can be part of `text`", f.path, type))
            .label("in_text on a non-text field");
        f.in_text = false;
      }
      m_.fields.push_back(f);
      m_.field_spans.push_back(yaml_span(file_, it->first));
    }
  }

 public:
  Manifest read_rates() {
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::ParserException& e) {
      diags_
          .report(base::DiagCode::kBadManifest, yaml_span(file_, e.mark),
                  fmt::format("not valid YAML: {}", e.msg))
          .label("here");
      return std::move(m_);
    }
    currency(root);
    return std::move(m_);
  }

 private:
  void currency(const YAML::Node& n) {
    m_.has_currency = true;
    if (!n.IsMap()) {
      diags_.report(base::DiagCode::kBadManifest, yaml_span(file_, n), "`currency` must be a mapping")
          .label("expected `base`, `as_of` and `rates`");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = it->first.Scalar();
      const YAML::Node v = it->second;  // a copy: `->` yields a temporary
      if (key == "base") {
        m_.base_currency = text(v, "currency.base");
        if (!is_currency_code(m_.base_currency)) {
          diags_
              .report(base::DiagCode::kBadManifest, yaml_span(file_, v),
                      fmt::format("`{}` is not a currency code", m_.base_currency))
              .label("expected three upper-case letters, e.g. USD");
        }
      } else if (key == "as_of") {
        m_.rates_as_of = text(v, "currency.as_of");
      } else if (key == "rates") {
        if (!v.IsMap()) {
          diags_
              .report(base::DiagCode::kBadManifest, yaml_span(file_, v),
                      "`currency.rates` must map currency codes to numbers")
              .label("expected a mapping like `{ EUR: 1.08, CNY: 0.14 }`");
          continue;
        }
        for (auto r = v.begin(); r != v.end(); ++r) {
          const std::string code = r->first.Scalar();
          if (!is_currency_code(code)) {
            diags_
                .report(base::DiagCode::kBadManifest, yaml_span(file_, r->first),
                        fmt::format("`{}` is not a currency code", code))
                .label("expected three upper-case letters, e.g. EUR");
            continue;
          }
          const std::string s = r->second.IsScalar() ? r->second.Scalar() : "";
          char* end = nullptr;
          const double rate = std::strtod(s.c_str(), &end);
          if (s.empty() || *end != '\0' || !(rate > 0)) {
            diags_
                .report(base::DiagCode::kBadManifest, yaml_span(file_, r->second),
                        fmt::format("the rate of {} must be a positive number", code))
                .label("expected a number of base-currency units per unit");
            continue;
          }
          m_.rates[code] = rate;
        }
      } else {
        unknown_key(it->first, "currency." + key);
      }
    }
  }

  const base::SourceFile& file_;
  base::Diagnostics& diags_;
  Manifest m_;
};

}  // namespace

Manifest parse_manifest(const base::SourceFile& file, base::Diagnostics& diags) {
  Manifest m;
  try {
    m = ManifestReader(file, diags).read();
  } catch (const YAML::Exception& e) {
    // A shape the reader did not anticipate: still a diagnostic, never an exception.
    diags
        .report(base::DiagCode::kBadManifest, yaml_span(file, e.mark),
                fmt::format("pack.yaml is not valid: {}", e.msg))
        .label("here");
  }
  m.rates[m.base_currency] = 1.0;
  return m;
}

Manifest parse_rate_table(const base::SourceFile& file, base::Diagnostics& diags) {
  Manifest m;
  try {
    m = ManifestReader(file, diags).read_rates();
  } catch (const YAML::Exception& e) {
    diags
        .report(base::DiagCode::kBadManifest, yaml_span(file, e.mark),
                fmt::format("the currency table is not valid: {}", e.msg))
        .label("here");
  }
  m.rates[m.base_currency] = 1.0;
  return m;
}

void apply_standard_rates(Manifest& pack, const Manifest& standard) {
  if (pack.has_currency && pack.base_currency != standard.base_currency) return;
  std::map<std::string, double> merged = standard.rates;
  for (const auto& [code, rate] : pack.rates) merged[code] = rate;
  pack.rates = std::move(merged);
  if (pack.rates_as_of.empty()) pack.rates_as_of = standard.rates_as_of;
}

}  // namespace tusk::compiler::front
