// `test` declarations: unique names, listings that fit the schema, expectations that name
// rules and alternatives that exist.
#include <fmt/format.h>

#include "base/json_text.h"
#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {
namespace {

void to_json(const dsl::ListingValue& v, std::string& out) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, dsl::NumberLit>) {
          out += fmt::format("{}", x.value);
        } else if constexpr (std::is_same_v<T, dsl::StringLit>) {
          base::append_json_string(out, x.value);
        } else if constexpr (std::is_same_v<T, std::vector<dsl::ListingValue>>) {
          out += '[';
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (i) out += ',';
            to_json(x[i], out);
          }
          out += ']';
        } else {
          out += '{';
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (i) out += ',';
            base::append_json_string(out, x[i].key.name);
            out += ':';
            to_json(x[i].value, out);
          }
          out += '}';
        }
      },
      v.value);
}

const char* value_kind(const dsl::ListingValue& v) {
  switch (v.value.index()) {
    case 0:
      return "null";
    case 1:
      return "a bool";
    case 2:
      return "a number";
    case 3:
      return "a text";
    case 4: {
      for (const auto& item : std::get<std::vector<dsl::ListingValue>>(v.value)) {
        if (!std::holds_alternative<dsl::StringLit>(item.value)) {
          return "a list with an item that is not a text";
        }
      }
      return "a list";
    }
    default:
      return "an object";
  }
}

bool fits(stdlib::FieldType t, const dsl::ListingValue& v) {
  if (std::holds_alternative<std::monostate>(v.value)) return true;
  switch (t) {
    case stdlib::FieldType::kText:
      return std::holds_alternative<dsl::StringLit>(v.value);
    case stdlib::FieldType::kNumber:
    case stdlib::FieldType::kMoney:
      return std::holds_alternative<dsl::NumberLit>(v.value);
    case stdlib::FieldType::kBool:
      return std::holds_alternative<bool>(v.value);
    case stdlib::FieldType::kTextList: {
      const auto* list = std::get_if<std::vector<dsl::ListingValue>>(&v.value);
      if (list == nullptr) return false;
      for (const auto& item : *list) {
        if (!std::holds_alternative<dsl::StringLit>(item.value)) return false;
      }
      return true;
    }
  }
  return false;
}

const char* a_field_type(stdlib::FieldType t) {
  switch (t) {
    case stdlib::FieldType::kText:
      return "a text";
    case stdlib::FieldType::kTextList:
      return "a list of texts";
    case stdlib::FieldType::kNumber:
      return "a number";
    case stdlib::FieldType::kMoney:
      return "money (a number)";
    case stdlib::FieldType::kBool:
      return "a bool";
  }
  return "";
}

const char* example_of(stdlib::FieldType t) {
  switch (t) {
    case stdlib::FieldType::kText:
      return "\"...\"";
    case stdlib::FieldType::kTextList:
      return "[\"a\", \"b\"]";
    case stdlib::FieldType::kNumber:
      return "12";
    case stdlib::FieldType::kMoney:
      return "320 (with `currency: \"USD\"`)";
    case stdlib::FieldType::kBool:
      return "true";
  }
  return "";
}

}  // namespace

void Checker::check_listing(const std::vector<dsl::ListingField>& fields, const std::string& prefix) {
  for (const auto& f : fields) {
    const std::string path = prefix + f.key.name;
    if (auto id = find_field(path)) {
      const stdlib::Field& field = out_->fields[*id];
      if (!fits(field.type, f.value)) {
        diags_
            .report(base::DiagCode::kBadListingValue, f.value.span,
                    fmt::format("field `{}` is {}, but the listing gives {}", path, a_field_type(field.type),
                                value_kind(f.value)))
            .label(fmt::format("expected {}", a_field_type(field.type)))
            .help(fmt::format("write a value like {}", example_of(field.type)));
      }
      continue;
    }
    const auto* nested = std::get_if<std::vector<dsl::ListingField>>(&f.value.value);
    bool is_parent = false;
    for (const auto& fl : out_->fields) {
      if (fl.path.rfind(path + ".", 0) == 0) is_parent = true;
    }
    if (nested && is_parent) {
      check_listing(*nested, path + ".");
      continue;
    }
    std::vector<std::string> cands;
    for (const auto& fl : out_->fields) {
      if (fl.path.rfind(prefix, 0) == 0) cands.push_back(fl.path.substr(prefix.size()));
    }
    auto b = diags_.report(base::DiagCode::kUnknownListingKey, f.key.span,
                           fmt::format("`{}` is not a field of the listing schema", path));
    b.label("no rule can read this key");
    if (auto near = did_you_mean(f.key.name, cands)) {
      b.help(fmt::format("did you mean `{}`?", *near)).fix(f.key.span, *near);
    } else {
      b.help("declare extra fields under `fields:` in pack.yaml");
    }
  }
}

std::vector<CheckedExpectation> Checker::check_expectations(const std::vector<dsl::Expectation>& list,
                                                            const std::vector<std::string>& rule_names) {
  std::vector<CheckedExpectation> out;
  for (const auto& e : list) {
    CheckedExpectation ce;
    ce.kind = e.kind;
    ce.action = e.action;
    ce.account = e.account;
    ce.span = e.span;
    using K = dsl::Expectation::Kind;
    if ((e.kind == K::kFired || e.kind == K::kNotFired) && e.name) {
      Symbol* sym = lookup(*e.name);
      if (sym && sym->kind == SymKind::kRule) {
        ce.rule = rules_[sym->index].id;
      } else if (sym) {
        report_wrong_kind(*sym, e.name->span, "a rule", "");
      } else {
        auto b = diags_.report(base::DiagCode::kUnknownRule, e.name->span,
                               fmt::format("unknown rule `{}`", e.name->str()));
        b.label("no rule has this name");
        if (auto near = did_you_mean(e.name->str(), rule_names)) {
          b.help(fmt::format("did you mean `{}`?", *near)).fix(e.name->span, *near);
        }
      }
    } else if (e.kind == K::kSuggestion && e.name) {
      ce.alternative = resolve_alternative(*e.name);
    } else if (e.kind == K::kScore) {
      switch (e.compare) {
        case dsl::BinaryOp::kNe:
          ce.compare = stdlib::CmpOp::kNe;
          break;
        case dsl::BinaryOp::kLt:
          ce.compare = stdlib::CmpOp::kLt;
          break;
        case dsl::BinaryOp::kLe:
          ce.compare = stdlib::CmpOp::kLe;
          break;
        case dsl::BinaryOp::kGt:
          ce.compare = stdlib::CmpOp::kGt;
          break;
        case dsl::BinaryOp::kGe:
          ce.compare = stdlib::CmpOp::kGe;
          break;
        default:
          ce.compare = stdlib::CmpOp::kEq;
      }
      ce.number = e.number ? e.number->value : 0;
    }
    if (e.text) ce.text = e.text->value;
    out.push_back(std::move(ce));
  }
  return out;
}

void Checker::check_tests() {
  std::map<std::string, base::Span> names;
  std::vector<std::string> rule_names;
  for (const auto& r : rules_) rule_names.push_back(syms_[r.sym].name);
  for (const auto& unit : in_.units) {
    if (!unit.module.empty()) continue;
    for (const auto& d : unit.file->decls) {
      const auto* t = std::get_if<dsl::TestDecl>(&d);
      if (t == nullptr) continue;
      if (auto [it, fresh] = names.emplace(t->name.value, t->name.span); !fresh) {
        diags_
            .report(base::DiagCode::kDuplicateName, t->name.span,
                    fmt::format("two tests are named \"{}\"", t->name.value))
            .label("second test with this name")
            .secondary(it->second, "first defined here")
            .help("test names identify failures in `tusk test`: make them unique");
      }
      CheckedTest ct;
      ct.name = t->name.value;
      ct.span = t->span;
      to_json(t->listing, ct.listing_json);
      if (const auto* obj = std::get_if<std::vector<dsl::ListingField>>(&t->listing.value)) {
        check_listing(*obj, "");
      }
      ct.expectations = check_expectations(t->expectations, rule_names);
      for (const auto& step : t->more) {
        CheckedTestStep cs;
        cs.span = step.span;
        to_json(step.listing, cs.listing_json);
        if (const auto* obj = std::get_if<std::vector<dsl::ListingField>>(&step.listing.value)) {
          check_listing(*obj, "");
        }
        cs.expectations = check_expectations(step.expectations, rule_names);
        ct.more.push_back(std::move(cs));
      }
      out_->tests.push_back(std::move(ct));
    }
  }
}

}  // namespace tusk::compiler::front
