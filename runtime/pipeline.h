// Internal: per-thread scanning state and the per-record pipeline
// decode -> normalize -> scan -> evaluate -> verdict.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "compiler/plan/evaluator.h"
#include "stdlib/functions.h"
#include "runtime/compiled_pack.h"
#include "tusk/verdict.h"

namespace tusk::runtime {

// One occurrence of a slot's pattern in a field, with both normalized and original offsets
// (the built-ins read the same list through stdlib::RecordView).
using Hit = stdlib::SlotHit;

// The time budget counts the CPU time of the scanning thread, not wall time: a thread that
// the OS deschedules on a busy machine has not spent the listing's budget, and verdicts must
// not depend on what else the machine is doing.
struct BudgetClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<BudgetClock>;
  static constexpr bool is_steady = true;
  static time_point now() noexcept;
};

// The pipeline is the record view of the built-in functions (stdlib/functions.h): the plan's
// EvalRecord::host points at it as a const stdlib::RecordView*.
class Pipeline final : public stdlib::RecordView {
 public:
  explicit Pipeline(std::shared_ptr<const CompiledPack> pack);

  // Runs the pipeline up to evaluation; false (with `error`) when the record cannot be read.
  bool evaluate(std::string_view json, std::string& error);
  // The same for a record the caller filled (begin_record(), then mutable_record()).
  bool evaluate_record(std::string& error);
  void begin_record();
  // The shape JSON lines are read with (runtime/record.h); a listing until set.
  void set_record_shape(RecordShape shape) { decoder_.set_shape(shape); }
  RecordShape record_shape() const { return decoder_.shape(); }
  Record& mutable_record() { return record_; }
  // Builds the verdict from the last successful evaluate().
  void fill_verdict(Verdict& verdict) const;
  Verdict scan(std::string_view json);
  void scan(std::string_view json, Verdict& out);

  // State of the last record, for host functions and for `tusk explain`.
  const CompiledPack& compiled() const { return *pack_; }
  const Record& record() const { return record_; }
  const std::vector<Hit>& hits() const { return hits_; }
  const compiler::EvalRecord& eval_record() const { return eval_; }
  const compiler::EvalResult& result() const { return result_; }
  const NormalizedText& normalized(std::uint32_t pass, stdlib::FieldId field) const {
    return normalized_[pass * field_count_ + field];
  }
  std::string_view field_text(stdlib::FieldId field) const { return record_.text(field); }
  const WordIndex& words(stdlib::FieldId field) const;

  // stdlib::RecordView
  std::uint32_t field_count() const override { return static_cast<std::uint32_t>(field_count_); }
  bool present(stdlib::FieldId field) const override { return record_.present(field); }
  std::string_view text(stdlib::FieldId field) const override { return record_.text(field); }
  std::span<const stdlib::SlotHit> slot_hits() const override { return hits_; }
  double word_gap(stdlib::FieldId field, std::uint32_t a_start, std::uint32_t a_end, std::uint32_t b_start,
                  std::uint32_t b_end) const override;

 private:
  void scan_texts();
  void normalize_field(std::uint32_t pass, stdlib::FieldId field, std::string_view text,
                       NormalizedText& norm);
  void build_eval_record();
  // Limits (tusk/limits.h): cut long fields; true when the time budget has run out.
  void apply_field_limit();
  bool over_budget(const char* stage);
  void fill_budget_verdict(Verdict& verdict) const;
  std::string render(const compiler::PlanTemplate& t) const;
  std::vector<Evidence> evidence_for(const compiler::PlanRule& rule) const;

  std::shared_ptr<const CompiledPack> pack_;
  std::size_t field_count_ = 0;
  RecordDecoder decoder_;
  Record record_;
  std::vector<Normalizer> normalizers_;  // one per pass
  PatternScratch scratch_;
  std::vector<NormalizedText> normalized_;  // [pass * field_count + field]
  // Per pass: the pass with the most steps whose profile includes this one's, or -1. When
  // same_result() allows, a field's text normalized for it is copied, not redone.
  std::vector<std::int32_t> reuse_from_;
  std::vector<std::uint8_t> normalized_early_;  // [pass * field_count + field], this record
  std::vector<Match> matches_;
  std::vector<Hit> hits_;
  mutable std::vector<WordIndex> words_;     // per field, built on first use
  mutable std::vector<std::uint8_t> words_ready_;
  std::vector<double> numbers_;
  std::vector<std::int32_t> currencies_;
  std::vector<stdlib::FieldMask> slot_fields_;
  compiler::EvalRecord eval_;
  compiler::EvalResult result_;
  std::vector<std::string> notes_;
  std::vector<std::uint32_t> slot_matches_;  // per slot, this record: Limits::max_matches_per_pattern
  BudgetClock::time_point started_;
  bool budget_hit_ = false;
};

}  // namespace tusk::runtime
