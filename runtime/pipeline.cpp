#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "runtime/host.h"
#include "runtime/money.h"
#include "runtime/pipeline.h"

namespace tusk::runtime {
namespace {

using stdlib::FieldId;
using stdlib::FieldMask;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool in_mask(stdlib::FieldMask mask, stdlib::FieldId f) { return (mask >> f) & 1u; }

// EvalRecord::host is the pipeline as a const stdlib::RecordView* (Pipeline::build_eval_record).
const Pipeline& self(const void* host) {
  return static_cast<const Pipeline&>(*static_cast<const stdlib::RecordView*>(host));
}

// ASCII case-insensitive equality: categories, countries and codes are compared the way users
// write them ("Antiques" == "antiques").
bool equal_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool host_text_in_set(const void* host, std::uint32_t field, std::uint32_t set) {
  const Pipeline& s = self(host);
  const auto& values = s.compiled().plan->string_sets[set];
  const auto& rec = s.record();
  const auto& schema_field = s.compiled().plan->fields[field];
  if (schema_field.type == stdlib::FieldType::kTextList) {
    // A list is "in" the set when any element is.
    for (std::size_t i = 0; i < rec.element_count(field); ++i) {
      const std::string_view e = trim(rec.element(field, i));
      for (const auto& v : values) {
        if (equal_folded(e, v)) return true;
      }
    }
    return false;
  }
  const std::string_view text = trim(rec.text(field));
  for (const auto& v : values) {
    if (equal_folded(text, v)) return true;
  }
  return false;
}

bool host_text_fields_eq(const void* host, std::uint32_t a, std::uint32_t b) {
  const Pipeline& s = self(host);
  return equal_folded(trim(s.record().text(a)), trim(s.record().text(b)));
}

const compiler::plan::HostTable kHostTable = {host_text_in_set, host_text_fields_eq};

// The index of the first nonzero byte of `v` at or after `i`, or v.size(). Eight bytes at a
// time: most listings fire none of a pack's hundreds of rules, and a test per rule showed in
// the scan's profile.
std::size_t next_set(const std::vector<std::uint8_t>& v, std::size_t i) {
  const std::size_t n = v.size();
  const std::uint8_t* p = v.data();
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, 8);
      if (w != 0) return i + static_cast<std::size_t>(std::countr_zero(w) >> 3);
    }
  }
  while (i < n && p[i] == 0) ++i;
  return i;
}

}  // namespace

Pipeline::Pipeline(std::shared_ptr<const CompiledPack> pack)
    : pack_(std::move(pack)), field_count_(pack_->plan->fields.size()), decoder_(*pack_->schema) {
  const CompiledPack& impl = *pack_;
  if (impl.plan->stateful()) accounts_ = std::make_unique<AccountEngine>(*impl.plan, impl.default_state);
  for (const auto& pass : impl.passes) {
    normalizers_.emplace_back(*pass.profile);
    scratch_.reserve(*pass.db);
  }
  normalized_.resize(impl.passes.size() * field_count_);
  normalized_early_.assign(impl.passes.size() * field_count_, 0);
  reuse_from_.assign(impl.passes.size(), -1);
  for (std::size_t p = 0; p < impl.passes.size(); ++p) {
    int best_steps = -1;
    for (std::size_t q = 0; q < impl.passes.size(); ++q) {
      const StepSet sp = impl.passes[p].profile->steps;
      const StepSet sq = impl.passes[q].profile->steps;
      int count = 0;
      bool includes = q != p && !(sp == sq);
      for (int k = 0; k < kStepCount; ++k) {
        const auto step = static_cast<Step>(k);
        if (sp.has(step) && !sq.has(step)) includes = false;
        count += sq.has(step);
      }
      if (includes && count > best_steps) {
        best_steps = count;
        reuse_from_[p] = static_cast<std::int32_t>(q);
      }
    }
  }
  words_.resize(field_count_);
  words_ready_.assign(field_count_, 0);
  numbers_.assign(field_count_, kNaN);
  hit_counts_.assign(pack_->plan->slots.size() * field_count_, 0);
  term_bits_.assign(pack_->plan->slots.size() * field_count_, 0);
  for (const compiler::plan::Slot& slot : pack_->plan->slots) {
    term_bits_kept_.push_back(!slot.is_regex && slot.terms.size() <= stdlib::kTermBitsMax ? 1 : 0);
  }
  text_lengths_.assign(field_count_, 0);
  currencies_.assign(field_count_, -1);
  slot_fields_.assign(impl.plan->slots.size(), 0);
  slot_matches_.assign(impl.plan->slots.size(), 0);
}

const WordIndex& Pipeline::words(stdlib::FieldId field) const {
  if (!words_ready_[field]) {
    charge(record_.text(field).size(), "evaluation");
    words_[field].reset(record_.text(field));
    words_ready_[field] = 1;
  }
  return words_[field];
}

stdlib::RecordView::WordSpan Pipeline::word_span(stdlib::FieldId field, std::uint32_t start,
                                                 std::uint32_t end) const {
  // Word distance is measured in the original text, where every pass's hits agree.
  const WordIndex::Range r = words(field).words_of(start, end);
  return {r.first, r.end};
}

void Pipeline::scan_texts() {
  const CompiledPack& impl = *pack_;
  const compiler::plan::Plan& plan = *impl.plan;
  clear_hits();
  std::fill(normalized_early_.begin(), normalized_early_.end(), 0);
  const std::size_t max_matches = impl.limits.max_matches_per_pattern;
  for (std::uint32_t p = 0; p < impl.passes.size(); ++p) {
    const CompiledPass& pass = impl.passes[p];
    for (stdlib::FieldId f = 0; f < field_count_; ++f) {
      if (!in_mask(pass.fields, f) || !record_.present(f)) continue;
      const std::string_view text = record_.text(f);
      if (text.empty()) continue;
      NormalizedText& norm = normalized_[p * field_count_ + f];
      normalize_field(p, f, text, norm);
      if (budget_hit_) return;
      matches_.clear();
      runtime::scan(*pass.db, scratch_, norm.text, matches_);
      if (!charge(norm.text.size() + matches_.size(), "scan")) return;
      const std::size_t hits_before = hits_.size();
      for (const Match& m : matches_) {
        const PatternRef& ref = pass.patterns[m.id];
        // The pass scans a field for every slot of its profile; keep only the slots that
        // some condition looks for in this field.
        if (!in_mask(plan.slots[ref.slot].fields, f)) continue;
        if (max_matches != 0 && ++slot_matches_[ref.slot] > max_matches) {
          if (slot_matches_[ref.slot] == max_matches + 1) {
            notes_.push_back(fmt::format("limit: more than {} matches of `{}`; the rest were not kept",
                                         max_matches, plan.slots[ref.slot].name));
          }
          continue;
        }
        const auto [start, end] = norm.to_original(m.start, m.end);
        hits_.push_back({ref.slot, ref.term, f, p, m.start, m.end, start, end});
        slot_fields_[ref.slot] |= stdlib::FieldMask{1} << f;
        const std::size_t at = ref.slot * field_count_ + f;
        ++hit_counts_[at];
        if (ref.term < stdlib::kTermBitsMax) term_bits_[at] |= std::uint64_t{1} << ref.term;
      }
      if (!charge((hits_.size() - hits_before) * work::kMatch, "scan")) return;
    }
  }
  std::stable_sort(hits_.begin(), hits_.end(), [](const Hit& a, const Hit& b) {
    if (a.field != b.field) return a.field < b.field;
    if (a.start != b.start) return a.start < b.start;
    return a.slot < b.slot;
  });
}

// Nested profiles (evasive includes default) usually normalize a field to the same text: the
// widest pass normalizes it first, even when its turn comes later, and a narrower pass copies
// that result when the steps it lacks found nothing to act on.
void Pipeline::normalize_field(std::uint32_t p, stdlib::FieldId f, std::string_view text,
                               NormalizedText& norm) {
  const CompiledPack& impl = *pack_;
  if (normalized_early_[p * field_count_ + f]) return;
  const std::int32_t src = reuse_from_[p];
  if (src >= 0 && in_mask(impl.passes[src].fields, f)) {
    const auto q = static_cast<std::uint32_t>(src);
    NormalizedText& done = normalized_[q * field_count_ + f];
    if (q > p) {
      if (!charge(text.size(), "normalization")) return;
      normalizers_[q].normalize(text, done);
      normalized_early_[q * field_count_ + f] = 1;
    }
    if (same_result(done, *impl.passes[q].profile, *impl.passes[p].profile)) {
      norm = done;
      return;
    }
  }
  if (!charge(text.size(), "normalization")) return;
  normalizers_[p].normalize(text, norm);
}

// Every per-slot array is zeroed hit by hit: a slot that is set has a hit in hits_ (one over
// max_matches_per_pattern has the first max of them), and filling the arrays whole cost 5% of
// the scan of a pack with a thousand slots (docs/performance.md).
void Pipeline::clear_hits() {
  for (const Hit& h : hits_) {
    hit_counts_[h.slot * field_count_ + h.field] = 0;
    term_bits_[h.slot * field_count_ + h.field] = 0;
    slot_fields_[h.slot] = 0;
    slot_matches_[h.slot] = 0;
  }
  hits_.clear();
}

void Pipeline::build_eval_record() {
  const compiler::plan::Plan& plan = *pack_->plan;
  eval_.present = 0;
  for (stdlib::FieldId f = 0; f < field_count_; ++f) {
    numbers_[f] = kNaN;
    currencies_[f] = -1;
    text_lengths_[f] = static_cast<std::uint32_t>(record_.text(f).size());
    if (!record_.present(f)) continue;
    eval_.present |= stdlib::FieldMask{1} << f;
    const auto type = plan.fields[f].type;
    if (type == stdlib::FieldType::kNumber || type == stdlib::FieldType::kBool ||
        type == stdlib::FieldType::kMoney) {
      numbers_[f] = record_.number(f);
    }
    if (type == stdlib::FieldType::kMoney && plan.uses_money) {
      const std::string_view code = record_.currency(f);
      currencies_[f] = plan.currency_index(code);
      if (currencies_[f] < 0) {
        notes_.push_back(
            code.empty()
                ? fmt::format("{} has no currency: money comparisons on it are false", plan.fields[f].path)
                : fmt::format("unknown currency `{}` in {}: money comparisons on it are false", code,
                              plan.fields[f].path));
      }
    }
  }
  eval_.numbers = numbers_.data();
  eval_.currencies = currencies_.data();
  eval_.slot_fields = slot_fields_.data();
  eval_.host = static_cast<const stdlib::RecordView*>(this);
  eval_.state = accounts_ ? accounts_->values() : nullptr;
  eval_.hit_counts = hit_counts_.data();
  eval_.text_lengths = text_lengths_.data();
  eval_.term_bits = term_bits_.data();
}

bool Pipeline::evaluate(std::string_view json, std::string& error) {
  const std::size_t max_record = pack_->limits.max_record_bytes;
  json_work_ = 0;
  if (max_record != 0 && json.size() > max_record) {
    record_.clear(field_count_);
    error = fmt::format("limit: the listing is {} bytes, over the limit of {}", json.size(), max_record);
    return false;
  }
  if (auto e = decoder_.decode(json, record_)) {
    error = e.message;
    return false;
  }
  json_work_ = (json.size() + work::kJsonBytesPerUnit - 1) / work::kJsonBytesPerUnit;
  return evaluate_record(error);
}

void Pipeline::begin_record() {
  record_.clear(field_count_);
  json_work_ = 0;
  decoder_.stamp_shape(record_);
}

bool Pipeline::evaluate_record(std::string& error) {
  if (accounts_) {
    // Time and state first: a malformed `posted_at` fails the listing before any work.
    if (!batch_error_.empty()) {
      error = batch_error_;
      return false;
    }
    if (!accounts_->prepare(record_, error)) return false;
  }
  std::fill(words_ready_.begin(), words_ready_.end(), 0);
  notes_.clear();
  work_ = 0;
  work_before_eval_ = 0;
  budget_hit_ = false;
  budget_stage_ = "";
  clear_hits();
  // Decoding: the JSON (skipped bytes are cheap) and the text of every field the pack reads,
  // before the field limit cuts it.
  std::uint64_t decoded = json_work_;
  json_work_ = 0;
  for (stdlib::FieldId f = 0; f < field_count_; ++f) {
    if (record_.present(f)) decoded += record_.text(f).size();
  }
  apply_field_limit();
  if (charge(decoded, "decode")) scan_texts();
  // The plan: one unit per node, whichever backend runs it; the built-ins charge their own
  // loops as they run.
  work_before_eval_ = work_;
  if (charge(hits_.size() + pack_->plan->nodes.size(), "evaluation")) {
    build_eval_record();
    pack_->evaluator->evaluate(&eval_, 1, &result_);
    // Effects only for a listing that was judged: one cut short by the budget changes nothing.
    if (accounts_ && !budget_hit_) accounts_->record(record_, result_);
  }
  return true;
}

void Pipeline::set_state(std::shared_ptr<StateStore> store) {
  if (accounts_ && store) accounts_->set_store(std::move(store));
}

void Pipeline::set_clock(std::function<std::int64_t()> unix_seconds) {
  if (accounts_ && unix_seconds) accounts_->set_clock(std::move(unix_seconds));
}

void Pipeline::begin_batch(const std::vector<std::string_view>& listings) {
  if (!accounts_) return;
  batching_ = true;
  batch_error_.clear();
  std::vector<EntityKey> keys;
  const std::size_t max_record = pack_->limits.max_record_bytes;
  for (std::string_view json : listings) {
    if (max_record != 0 && json.size() > max_record) continue;
    if (decoder_.decode(json, record_)) continue;  // an unreadable line reads no state
    accounts_->keys_of(record_, keys);
  }
  record_.clear(field_count_);
  try {
    accounts_->prefetch(keys);
  } catch (const StateError& e) {
    batch_error_ = fmt::format("account state could not be read: {}", e.what());
  }
}

bool Pipeline::end_batch(std::string& error) {
  batching_ = false;
  batch_error_.clear();
  return commit_state(error);
}

bool Pipeline::commit_state(std::string& error) {
  if (!accounts_) return true;
  try {
    accounts_->commit();
  } catch (const StateError& e) {
    error = fmt::format("account state could not be written: {}", e.what());
    return false;
  }
  return true;
}

std::vector<Evidence> Pipeline::evidence_for(const compiler::plan::PlanRule& rule) const {
  const compiler::plan::Plan& plan = *pack_->plan;
  std::vector<Evidence> out;
  for (const Hit& h : hits_) {
    const bool wanted = std::any_of(rule.evidence.begin(), rule.evidence.end(), [&](const auto& src) {
      return src.slot == h.slot && in_mask(src.fields, h.field);
    });
    if (!wanted) continue;
    const bool duplicate = std::any_of(out.begin(), out.end(), [&](const Evidence& e) {
      return e.start == h.start && e.end == h.end && e.field == plan.fields[h.field].path &&
             e.lexicon == plan.slots[h.slot].name;
    });
    if (duplicate) continue;
    Evidence e;
    e.field = plan.fields[h.field].path;
    e.start = h.start;
    e.end = h.end;
    e.text = std::string(record_.text(h.field).substr(h.start, h.end - h.start));
    const compiler::plan::Slot& slot = plan.slots[h.slot];
    e.lexicon = slot.name;
    if (!slot.is_regex) e.term = slot.terms[h.term].text + (slot.terms[h.term].prefix ? "*" : "");
    out.push_back(std::move(e));
  }
  return out;
}

std::string Pipeline::render(const compiler::plan::PlanTemplate& t) const {
  using Kind = stdlib::TemplateKind;
  const compiler::plan::Plan& plan = *pack_->plan;
  std::string out;
  for (const auto& part : t.parts) {
    switch (part.kind) {
      case Kind::kLiteral:
        out += part.literal;
        break;
      case Kind::kHits: {
        // Distinct original texts, in order of appearance.
        std::vector<std::string> seen;
        for (const Hit& h : hits_) {
          if (h.slot != part.slot) continue;
          std::string text(record_.text(h.field).substr(h.start, h.end - h.start));
          if (std::find(seen.begin(), seen.end(), text) == seen.end()) seen.push_back(std::move(text));
        }
        for (std::size_t i = 0; i < seen.size(); ++i) out += (i ? ", " : "") + seen[i];
        break;
      }
      case Kind::kFirst:
        for (const Hit& h : hits_) {
          if (h.slot == part.slot) {
            out += record_.text(h.field).substr(h.start, h.end - h.start);
            break;
          }
        }
        break;
      case Kind::kCount:
        out += fmt::format("{}", std::count_if(hits_.begin(), hits_.end(),
                                               [&](const Hit& h) { return h.slot == part.slot; }));
        break;
      case Kind::kField: {
        const auto type = plan.fields[part.field].type;
        if (!record_.present(part.field)) break;
        if (type == stdlib::FieldType::kNumber || type == stdlib::FieldType::kBool) {
          out += fmt::format("{}", record_.number(part.field));
        } else if (type == stdlib::FieldType::kMoney) {
          out += fmt::format("{} {}", record_.number(part.field), record_.currency(part.field));
        } else {
          out += record_.text(part.field);
        }
        break;
      }
      case Kind::kScore:
        out += fmt::format("{}", result_.score);
        break;
    }
  }
  return out;
}

void Pipeline::fill_verdict(Verdict& v) const {
  if (budget_hit_) return fill_budget_verdict(v);
  const compiler::plan::Plan& plan = *pack_->plan;
  // `v` may be a verdict reused from the previous listing: assign every field, and clear
  // containers rather than replace them so that they keep their capacity.
  v.ok = true;
  v.error.clear();
  v.line = 0;
  v.id = record_.id;
  v.action = static_cast<Action>(result_.action);
  v.score = result_.score;
  v.pack = pack_->info;
  v.notes = notes_;
  v.fired.clear();
  v.tags.clear();
  v.suggestions.clear();
  v.message.clear();
  for (std::size_t r = next_set(result_.fired, 0); r < result_.fired.size();
       r = next_set(result_.fired, r + 1)) {
    const compiler::plan::PlanRule& rule = plan.rules[r];
    FiredRule fr;
    fr.rule = rule.name;
    fr.score = rule.score;
    fr.reason = render(rule.reason);
    fr.evidence = evidence_for(rule);
    for (const auto& tag : rule.tags) {
      if (std::find(v.tags.begin(), v.tags.end(), tag) == v.tags.end()) v.tags.push_back(tag);
    }
    if (v.message.empty() && !rule.message.empty()) v.message = render(rule.message);
    v.fired.push_back(std::move(fr));
  }
  if (result_.branch >= 0) {
    const auto& branch = plan.decide[result_.branch];
    if (!branch.message.empty()) v.message = render(branch.message);
  }
  fill_account(v);
  if (next_set(result_.suggested, 0) == result_.suggested.size()) return;
  // Suggest in the language the listing's matched words were in, else English, else the first.
  std::map<std::string, int> lang_votes;
  for (const Hit& h : hits_) {
    const compiler::plan::Slot& slot = plan.slots[h.slot];
    if (!slot.is_regex && !slot.terms[h.term].lang.empty()) ++lang_votes[slot.terms[h.term].lang];
  }
  std::string lang = "en";
  int best = 0;
  for (const auto& [l, n] : lang_votes) {
    if (n > best) {
      best = n;
      lang = l;
    }
  }
  for (std::size_t s = 0; s < plan.suggestions.size(); ++s) {
    if (!result_.suggested[s]) continue;
    const auto& sug = plan.suggestions[s];
    if (sug.texts.empty()) continue;
    auto pick =
        std::find_if(sug.texts.begin(), sug.texts.end(), [&](const auto& t) { return t.first == lang; });
    if (pick == sug.texts.end()) {
      pick = std::find_if(sug.texts.begin(), sug.texts.end(), [](const auto& t) { return t.first == "en"; });
    }
    if (pick == sug.texts.end()) pick = sug.texts.begin();
    v.suggestions.push_back({sug.name, pick->first, pick->second});
  }
}

Verdict Pipeline::scan(std::string_view json) {
  Verdict v;
  scan(json, v);
  return v;
}

void Pipeline::scan(std::string_view json, Verdict& v) {
  std::string error;
  bool ok = evaluate(json, error);
  // Outside a batch a listing's updates are written at once, so the next listing sees them.
  if (ok && accounts_ && !batching_) ok = commit_state(error);
  if (!ok) {
    v = Verdict{};
    v.ok = false;
    v.error = std::move(error);
    v.id = record_.id;
    v.pack = pack_->info;
    return;
  }
  fill_verdict(v);
}

void Pipeline::fill_account(Verdict& v) const {
  const compiler::plan::Plan& plan = *pack_->plan;
  v.account = AccountVerdict{};
  if (!plan.has_account || !accounts_) return;
  v.account.present = true;
  v.account.entity = plan.entities[plan.account_entity].name;
  v.account.id = accounts_->ids()[plan.account_entity];
  for (std::size_t i = 0; i < plan.state_reads.size(); ++i) {
    v.account.state.push_back({compiler::plan::state_text(plan, i), accounts_->values()[i]});
  }
  // A listing without the entity's id has no account to act on.
  if (v.account.id.empty() || result_.account_branch < 0) return;
  v.account.action = static_cast<AccountAction>(result_.account);
  const compiler::plan::PlanAccountBranch& branch =
      plan.account[static_cast<std::size_t>(result_.account_branch)];
  if (branch.otherwise) {
    v.account.reasons.push_back("otherwise");
    return;
  }
  auto text = [&](compiler::plan::NodeId id) {
    const compiler::plan::Node& n = plan.nodes[id];
    if (n.op == compiler::plan::Op::kRule) return plan.rules[n.index].name;
    std::string t = compiler::plan::node_text(plan, id);
    if (t.size() > 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
    return t;
  };
  const compiler::plan::Node& when = plan.nodes[branch.when];
  if (when.op == compiler::plan::Op::kAnd) {
    for (std::uint32_t k = 0; k < when.count; ++k) {
      v.account.reasons.push_back(text(plan.kids[when.first + k]));
    }
  } else {
    v.account.reasons.push_back(text(branch.when));
  }
}

const compiler::plan::HostTable& host_table() { return kHostTable; }

}  // namespace tusk::runtime
