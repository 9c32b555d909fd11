// Account declarations (docs/accounts.md): entities, counters, labels and `decide account`,
// and the two ways a condition reads account state, `count(COUNTER)` and
// `ENTITY has label "x"`. Declarations are collected before any condition is bound (a rule
// may read a counter declared below it); their own conditions are bound after `decide`,
// because they run after it and may read `action`.
#include <fmt/format.h>

#include <cmath>

#include "compiler/front/checker_impl.h"

namespace tusk::compiler::front {
namespace {

base::Span head(base::Span s, std::uint32_t len) {
  s.end = std::min(s.end, s.begin + len);
  return s;
}

}  // namespace

void Checker::declare_accounts() {
  for (const auto& unit : in_.units) {
    if (!unit.module.empty()) continue;  // reported by declare_all
    for (const auto& d : unit.file->decls) {
      if (const auto* e = std::get_if<dsl::EntityDecl>(&d)) entity_decls_.push_back(e);
      if (const auto* c = std::get_if<dsl::CounterDecl>(&d)) counter_decls_.push_back(c);
      if (const auto* l = std::get_if<dsl::LabelDecl>(&d)) label_decls_.push_back(l);
      if (const auto* a = std::get_if<dsl::AccountDecideDecl>(&d)) account_decls_.push_back(a);
    }
  }
  // Entities and counters share the pack's one namespace with rules and lexicons.
  auto declare_name = [&](SymKind kind, const dsl::Ident& name, std::size_t index) {
    if (auto it = by_name_.find(name.name); it != by_name_.end()) {
      const Symbol& first = syms_[it->second];
      diags_
          .report(base::DiagCode::kDuplicateAccountDecl, name.span,
                  fmt::format("`{}` is declared twice", name.name))
          .label(fmt::format("second declaration, as {}", kind_word(kind)))
          .secondary(first.span, fmt::format("first defined here (as a {})", kind_word(first.kind)))
          .help("rename one of them");
      return;
    }
    declare(kind, name.name, name.span, 0, nullptr);
    syms_.back().index = index;
    syms_.back().used = true;  // never reported unused: an entity or counter has effects by itself
  };
  for (const auto* e : entity_decls_) {
    CheckedEntity ce;
    ce.name = e->name.name;
    ce.span = e->span;
    const std::string path = e->field.str();
    auto id = find_field(path);
    if (!id || out_->fields[*id].type != stdlib::FieldType::kText) {
      std::vector<std::string> texts;
      for (const auto& f : out_->fields) {
        if (f.type == stdlib::FieldType::kText) texts.push_back(f.path);
      }
      auto b =
          diags_.report(base::DiagCode::kBadEntityField, e->field.span,
                        id ? fmt::format("entity `{}` is over `{}`, which is not a text field", ce.name, path)
                           : fmt::format("entity `{}` is over `{}`, which is not a field", ce.name, path));
      b.label(id ? "an entity's id is a text" : "unknown field");
      if (auto near = did_you_mean(path, texts); near && !id) {
        b.help(fmt::format("did you mean `{}`?", *near)).fix(e->field.span, *near);
      } else {
        b.help("name a text field such as `seller.id`, or declare one under `fields:` in pack.yaml");
      }
    } else {
      ce.field = *id;
    }
    declare_name(SymKind::kEntity, e->name, out_->entities.size());
    out_->entities.push_back(std::move(ce));
  }
  for (const auto* c : counter_decls_) {
    CheckedCounter cc;
    cc.name = c->name.name;
    cc.span = c->span;
    cc.entity = resolve_entity(c->entity, "a counter").value_or(0);
    cc.window_seconds = window_seconds(c->window, "a counter's window").value_or(1);
    if (c->kind == dsl::CounterDecl::Kind::kDistinct) {
      cc.distinct = true;
      const std::string path = c->distinct->str();
      auto id = find_field(path);
      if (!id || out_->fields[*id].type != stdlib::FieldType::kText) {
        diags_
            .report(base::DiagCode::kBadEntityField, c->distinct->span,
                    fmt::format("`counts distinct {}` needs a text field", path))
            .label(id ? "not a text field" : "unknown field")
            .help("count the distinct values of a text field such as `category`");
      } else {
        cc.distinct_field = *id;
      }
    }
    declare_name(SymKind::kCounter, c->name, out_->counters.size());
    out_->counters.push_back(std::move(cc));
  }
  for (const auto* l : label_decls_) {
    CheckedLabel cl;
    cl.name = l->name.value;
    cl.span = l->span;
    cl.entity = resolve_entity(l->entity, "a label").value_or(0);
    cl.lifetime_seconds = window_seconds(l->lifetime, "a label's lifetime").value_or(1);
    out_->labels.push_back(std::move(cl));
  }
}

void Checker::check_accounts() {
  const BindCtx post{false, std::nullopt, true};
  for (std::size_t i = 0; i < counter_decls_.size(); ++i) {
    if (counter_decls_[i]->when) {
      out_->counters[i].when = bind_condition(*counter_decls_[i]->when, post, "what a counter counts");
    }
  }
  for (std::size_t i = 0; i < label_decls_.size(); ++i) {
    out_->labels[i].when = bind_condition(*label_decls_[i]->when, post, "a label's `when`");
  }
  for (std::size_t i = 1; i < account_decls_.size(); ++i) {
    diags_
        .report(base::DiagCode::kDuplicateAccountDecl, head(account_decls_[i]->span, 6),
                "more than one `decide account` block")
        .label("second `decide account`")
        .secondary(head(account_decls_[0]->span, 6), "first one here")
        .help("merge the branches into one block: its branches are tried in order");
  }
  if (account_decls_.empty()) return;
  const dsl::AccountDecideDecl& a = *account_decls_[0];
  CheckedAccountDecide cd;
  cd.span = a.span;
  cd.entity = resolve_entity(a.entity, "`decide account`").value_or(0);
  const BindCtx branch_ctx{true, std::nullopt, true};
  // The lints of `decide` (W004, W005), for the same reasons: branches are tried in order.
  const dsl::AccountBranch* otherwise = nullptr;
  for (const auto& br : a.branches) {
    if (otherwise != nullptr) {
      diags_.report(base::DiagCode::kUnreachableBranch, br.span, "this branch can never be reached")
          .label("comes after `otherwise`")
          .secondary(otherwise->span, "`otherwise` matches every listing that reaches it")
          .help("move `otherwise` to the end");
    } else if (!br.when) {
      otherwise = &br;
    }
    CheckedAccountBranch cb;
    cb.action = br.action;
    cb.span = br.span;
    if (br.when) cb.when = bind_condition(*br.when, branch_ctx, "a `decide account` branch's `when`");
    cd.branches.push_back(std::move(cb));
  }
  if (otherwise == nullptr) {
    diags_
        .report(base::DiagCode::kMissingOtherwise, head(a.span, 6),
                "`decide account` has no `otherwise` branch")
        .label("listings that match no branch conclude `none`")
        .help("end with `none otherwise` to say so explicitly");
  }
  out_->account = std::move(cd);
}

std::optional<std::uint32_t> Checker::resolve_entity(const dsl::Ident& name, const char* where) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < out_->entities.size(); ++i) {
    if (out_->entities[i].name == name.name) return static_cast<std::uint32_t>(i);
    names.push_back(out_->entities[i].name);
  }
  if (entity_decls_.empty()) {
    diags_
        .report(base::DiagCode::kAccountWithoutEntity, name.span,
                fmt::format("{} needs an entity, but the pack declares none", where))
        .label(fmt::format("`{}` is not declared", name.name))
        .help(fmt::format("declare it: `entity {} = seller.id`", name.name));
    return std::nullopt;
  }
  auto b =
      diags_.report(base::DiagCode::kUnknownEntity, name.span, fmt::format("unknown entity `{}`", name.name));
  b.label("not an entity of this pack");
  if (auto near = did_you_mean(name.name, names)) {
    b.help(fmt::format("did you mean `{}`?", *near)).fix(name.span, *near);
  } else {
    b.note(fmt::format("entities: {}", fmt::join(names, ", ")));
  }
  return std::nullopt;
}

std::optional<std::int64_t> Checker::window_seconds(const dsl::Window& w, const char* what) {
  const long long unit = stdlib::window_unit_seconds(w.unit.name.c_str());
  if (unit == 0) {
    auto b = diags_.report(base::DiagCode::kBadWindow, w.unit.span,
                           fmt::format("unknown unit `{}` in {}", w.unit.name, what));
    b.label("not a unit of time");
    if (auto near = did_you_mean(w.unit.name, {"seconds", "minutes", "hours", "days"})) {
      b.help(fmt::format("did you mean `{}`?", *near)).fix(w.unit.span, *near);
    } else {
      b.help("write seconds, minutes, hours or days");
    }
    return std::nullopt;
  }
  const double seconds = std::ceil(w.amount.value * static_cast<double>(unit));
  if (!(seconds >= 1) || seconds > static_cast<double>(stdlib::kMaxWindowSeconds)) {
    diags_
        .report(base::DiagCode::kBadWindow, w.span,
                fmt::format("{} must be between 1 second and 400 days", what))
        .label(seconds < 1 ? "an empty window never counts anything" : "longer than 400 days")
        .help("windows and lifetimes are bounded so that a store's memory is bounded");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(seconds);
}

std::uint32_t Checker::state_read(CheckedStateRead read) {
  auto& reads = out_->state_reads;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const auto& r = reads[i];
    if (r.is_label == read.is_label && r.entity == read.entity && r.counter == read.counter &&
        r.label == read.label) {
      return static_cast<std::uint32_t>(i);
    }
  }
  reads.push_back(std::move(read));
  return static_cast<std::uint32_t>(reads.size() - 1);
}

BExprPtr Checker::bind_counter_read(const dsl::Expr& e, const dsl::Expr& arg) {
  const auto* n = std::get_if<dsl::NameExpr>(&arg.node);
  if (n != nullptr && n->name.parts.size() == 1) {
    if (Symbol* sym = lookup(n->name); sym && sym->kind == SymKind::kCounter) {
      CheckedStateRead r;
      r.counter = static_cast<std::uint32_t>(sym->index);
      r.entity = out_->counters[sym->index].entity;
      return make(Type::kNumber, e.span, BStateRead{state_read(std::move(r))});
    }
  }
  std::vector<std::string> names;
  for (const auto& c : out_->counters) names.push_back(c.name);
  const std::string written = slice(arg.span);
  auto b =
      diags_.report(base::DiagCode::kUnknownCounter, arg.span, fmt::format("unknown counter `{}`", written));
  b.label("`count` with one argument reads a counter");
  if (auto near = did_you_mean(written, names)) {
    b.help(fmt::format("did you mean `{}`?", *near)).fix(arg.span, *near);
  } else if (names.empty()) {
    b.help(
        "declare it: `counter NAME of ENTITY counts every listing over 1 hour`, or count hits with "
        "`count(text, LEXICON)`");
  } else {
    b.note(fmt::format("counters: {}", fmt::join(names, ", ")));
  }
  return nullptr;
}

BExprPtr Checker::bind_has_label(const dsl::Expr& e, const dsl::HasLabelExpr& h) {
  auto entity = resolve_entity(h.entity, "`has label`");
  if (!entity) return nullptr;
  bool set = false;
  std::vector<std::string> names;
  for (const auto& l : out_->labels) {
    if (l.entity != *entity) continue;
    if (l.name == h.label.value) set = true;
    names.push_back(l.name);
  }
  if (!set) {
    if (auto near = did_you_mean(h.label.value, names)) {
      diags_
          .report(base::DiagCode::kUnknownLabel, h.label.span,
                  fmt::format("no `label` sets \"{}\" on `{}`", h.label.value, h.entity.name))
          .label("unknown label")
          .help(fmt::format("did you mean \"{}\"?", *near))
          .fix(h.label.span, fmt::format("\"{}\"", *near));
      return nullptr;
    }
    diags_
        .report(base::DiagCode::kLabelNeverSet, h.label.span,
                fmt::format("no `label` of this pack sets \"{}\"", h.label.value))
        .label("only an operator can set it")
        .help(fmt::format("add `label {} \"{}\" for 180 days when ...`, or remove the test", h.entity.name,
                          h.label.value));
  }
  CheckedStateRead r;
  r.is_label = true;
  r.entity = *entity;
  r.label = h.label.value;
  return make(Type::kBool, e.span, BStateRead{state_read(std::move(r))});
}

}  // namespace tusk::compiler::front
