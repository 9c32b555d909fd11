// The scanner's side of tusk/limits.h: long fields are cut, and the time budget is checked
// between pipeline stages (never inside Vectorscan or ICU, whose cost is linear in the bytes
// the field limit already bounds).
#include <fmt/format.h>
#include <time.h>

#include "runtime/pipeline.h"

namespace tusk::runtime {

namespace {

// The largest cut <= `size` that does not split a UTF-8 sequence.
std::size_t utf8_cut(std::string_view text, std::size_t size) {
  while (size > 0 && size < text.size() && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  return size;
}

}  // namespace

BudgetClock::time_point BudgetClock::now() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return time_point(duration(static_cast<rep>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
}

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
    notes_.push_back(fmt::format("limit: {} is {} bytes; only the first {} were screened", fields[f].path, before, cut));
  }
}

bool Pipeline::over_budget(const char* stage) {
  if (budget_hit_) return true;
  const Limits& limits = pack_->limits;
  if (limits.time_budget.count() <= 0) return false;
  const auto spent = BudgetClock::now() - started_;
  if (spent < limits.time_budget) return false;
  budget_hit_ = true;
  const auto us = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); };
  notes_.push_back(fmt::format("limit: time budget of {} µs of CPU ran out after {} µs in {}; {}", us(limits.time_budget),
                               us(spent), stage,
                               limits.on_budget == OnBudget::kFailClosed ? "fail-closed: sent to review"
                                                                         : "fail-open: allowed"));
  return true;
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
  v.notes = notes_;
  v.pack = pack_->info;
}

}  // namespace tusk::runtime
