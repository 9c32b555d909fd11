// The scanner's side of tusk/limits.h: long fields are cut, and the work budget is charged
// where the work happens (decoding, each field's normalization and scan, kept matches, the
// plan, and inside the built-ins that walk the hits). No clock is read: the budget counts work.
#include <fmt/format.h>

#include "runtime/pipeline.h"

namespace tusk::runtime {

namespace {

// The largest cut <= `size` that does not split a UTF-8 sequence.
std::size_t utf8_cut(std::string_view text, std::size_t size) {
  while (size > 0 && size < text.size() && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  return size;
}

}  // namespace

void Pipeline::apply_field_limit() {
  const std::size_t max_field = pack_->limits.max_field_bytes;
  if (max_field == 0) return;
  const auto& fields = pack_->plan->fields;
  for (stdlib::FieldId f = 0; f < field_count_ && f < record_.values.size(); ++f) {
    runtime::FieldValue& v = record_.values[f];
    if (!v.present || v.text_size <= max_field) continue;
    const std::size_t before = v.text_size;
    const std::size_t cut = utf8_cut(record_.text(f), max_field);
    v.text_size = cut;
    // List elements past the cut go; the one it falls in is shortened.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < v.element_count; ++i) {
      runtime::ElementSpan& e = record_.elements[v.elements_begin + i];
      if (e.begin >= cut) break;
      e.end = std::min(e.end, cut);
      ++kept;
    }
    v.element_count = kept;
    notes_.push_back(
        fmt::format("limit: {} is {} bytes; only the first {} were screened", fields[f].path, before, cut));
  }
}

bool Pipeline::charge(std::uint64_t units, const char* stage) const {
  if (budget_hit_) return false;
  work_ += units;
  const std::uint64_t budget = pack_->limits.work_budget;
  if (budget == 0 || work_ <= budget) return true;
  budget_hit_ = true;
  budget_stage_ = stage;
  return false;
}

// No rule is reported: on partial input a fired rule could be missing its evidence, and an
// unfired one could be wrong, so the verdict only carries the pack's choice and the note.
void Pipeline::fill_budget_verdict(Verdict& v) const {
  v.ok = true;
  v.error.clear();
  v.line = 0;
  v.id = record_.id;
  v.action = pack_->limits.on_budget == OnBudget::kFailClosed ? Action::kReview : Action::kAllow;
  v.score = 0;
  v.fired.clear();
  v.tags.clear();
  v.suggestions.clear();
  v.message.clear();
  v.account = AccountVerdict{};
  v.notes = notes_;
  v.notes.push_back(
      fmt::format("limit: work budget of {} units spent in {}; {}", pack_->limits.work_budget, budget_stage_,
                  pack_->limits.on_budget == OnBudget::kFailClosed ? "fail-closed: sent to review"
                                                                   : "fail-open: allowed"));
  v.pack = pack_->info;
}

}  // namespace tusk::runtime
