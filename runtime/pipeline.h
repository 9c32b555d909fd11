// Internal: per-thread scanning state and the per-record pipeline
// decode -> normalize -> scan -> evaluate -> verdict.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/plan/evaluator.h"
#include "runtime/accounts.h"
#include "runtime/compiled_pack.h"
#include "stdlib/functions.h"
#include "tusk/verdict.h"

namespace tusk::runtime {

// One occurrence of a slot's pattern in a field, with both normalized and original offsets
// (the built-ins read the same list through stdlib::RecordView).
using Hit = stdlib::SlotHit;

// What one listing's work costs against Limits::work_budget, in work units (one unit is
// about one byte through one stage). docs/embedding.md documents the table; the budget is
// counted, never timed, so a listing's verdict does not depend on the machine or its load.
namespace work {
// JSON bytes of a listing: the decoder skips unread keys without building values, so a byte
// costs a 64th of a unit and padding a listing in a key the pack does not read stays cheap.
inline constexpr std::uint64_t kJsonBytesPerUnit = 64;
// Each byte of a field the pack reads costs 1 when decoded, 1 per normalization it goes
// through and 1 per scan pass of its normalized text; a kept match costs kMatch.
inline constexpr std::uint64_t kMatch = 16;
}  // namespace work

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

  // Account state (docs/accounts.md); all of it is a no-op for a stateless pack.
  void set_state(std::shared_ptr<StateStore> store);
  void set_clock(std::function<std::int64_t()> unix_seconds);
  // A batch: begin_batch() reads the state of every listing's entities in one store read,
  // end_batch() writes every update in one store apply (false with `error` when the store
  // refuses them). Between them, scan() evaluates the listings one by one in order.
  void begin_batch(const std::vector<std::string_view>& listings);
  bool end_batch(std::string& error);
  // Writes the last listing's updates now (scan() outside a batch does it); false with `error`.
  bool commit_state(std::string& error);
  // Drops the last listing's updates instead (an explanation must not change the state).
  void discard_state() {
    if (accounts_) accounts_->discard();
  }
  const AccountEngine* accounts() const { return accounts_.get(); }

  // State of the last record, for host functions and for `tusk explain`.
  const CompiledPack& compiled() const { return *pack_; }
  const Record& record() const { return record_; }
  const std::vector<Hit>& hits() const { return hits_; }
  const compiler::plan::EvalRecord& eval_record() const { return eval_; }
  const compiler::plan::EvalResult& result() const { return result_; }
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
  WordSpan word_span(stdlib::FieldId field, std::uint32_t start, std::uint32_t end) const override;
  bool charge(std::uint64_t units) const override { return charge(units, "evaluation"); }
  std::uint32_t hit_count(std::uint32_t slot, stdlib::FieldId field) const override {
    return hit_counts_[slot * field_count_ + field];
  }
  bool term_bits(std::uint32_t slot, stdlib::FieldId field, std::uint64_t& bits) const override {
    if (!term_bits_kept_[slot]) return false;
    bits = term_bits_[slot * field_count_ + field];
    return true;
  }

  // Work units the last listing cost (all of them, or up to the point where the budget ran
  // out), and how many of them were spent before evaluation began.
  std::uint64_t work_spent() const { return work_; }
  std::uint64_t work_before_evaluation() const { return work_before_eval_; }

 private:
  void scan_texts();
  void normalize_field(std::uint32_t pass, stdlib::FieldId field, std::string_view text,
                       NormalizedText& norm);
  void build_eval_record();
  // Empties hits_ and the counts kept with it.
  void clear_hits();
  // Limits (tusk/limits.h): cut long fields; charge the work budget, false once it is spent
  // (the stage is named in the verdict's note).
  void apply_field_limit();
  bool charge(std::uint64_t units, const char* stage) const;
  void fill_budget_verdict(Verdict& verdict) const;
  void fill_account(Verdict& verdict) const;
  std::string render(const compiler::plan::PlanTemplate& t) const;
  std::vector<Evidence> evidence_for(const compiler::plan::PlanRule& rule) const;

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
  mutable std::vector<WordIndex> words_;  // per field, built on first use
  mutable std::vector<std::uint8_t> words_ready_;
  std::vector<double> numbers_;
  std::vector<std::int32_t> currencies_;
  std::vector<stdlib::FieldMask> slot_fields_;
  // [slot * field_count + field]: the hits of hits_, counted as they are kept (count() and
  // EvalRecord::hit_counts); zeroed hit by hit when hits_ is emptied, not slot by slot.
  std::vector<std::uint32_t> hit_counts_;
  std::vector<std::uint32_t> text_lengths_;   // [field] bytes of the field's text, this record
  std::vector<std::uint64_t> term_bits_;      // [slot * field_count + field], as hit_counts_
  std::vector<std::uint8_t> term_bits_kept_;  // [slot]: a lexicon of at most kTermBitsMax terms
  compiler::plan::EvalRecord eval_;
  compiler::plan::EvalResult result_;
  std::vector<std::string> notes_;
  std::vector<std::uint32_t> slot_matches_;  // per slot, this record: Limits::max_matches_per_pattern
  // The work budget of the current listing. Built-ins charge it through the const RecordView.
  mutable std::uint64_t work_ = 0;
  mutable bool budget_hit_ = false;
  mutable const char* budget_stage_ = "";
  std::uint64_t work_before_eval_ = 0;
  std::uint64_t json_work_ = 0;              // the JSON bytes of a listing read by evaluate(json)
  std::unique_ptr<AccountEngine> accounts_;  // null for a stateless pack: it pays nothing
  bool batching_ = false;
  std::string batch_error_;  // the batch's state could not be read: its listings fail closed
};

}  // namespace tusk::runtime
