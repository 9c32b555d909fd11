// Internal: the account engine of one Pipeline (docs/accounts.md). It turns the plan's
// entities, counters and labels into StateStore reads and updates, and fills the state values
// the plan's conditions read (EvalRecord::state).
//
// Batches: prefetch() reads every key of a batch in one StateStore::read; each record then
// sees a local overlay (the store's state plus the effects of the records before it in the
// batch); commit() writes every update of the batch in one StateStore::apply. A record never
// sees its own effects, and the verdicts of an ordered input do not depend on the batch size.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "compiler/plan/evaluator.h"
#include "compiler/plan/plan.h"
#include "runtime/record.h"
#include "tusk/state.h"

namespace tusk::runtime {

// Distinct counters keep at most this many values per entity and counter; a new value beyond
// it is not remembered (the count saturates here).
inline constexpr std::size_t kMaxDistinctValues = 1000;

class AccountEngine {
 public:
  AccountEngine(const compiler::plan::Plan& plan, std::shared_ptr<StateStore> store);

  void set_store(std::shared_ptr<StateStore> store) { store_ = std::move(store); }
  const std::shared_ptr<StateStore>& store() const { return store_; }
  // The arrival clock, read once per record without `posted_at` (Unix seconds).
  void set_clock(std::function<std::int64_t()> clock) { clock_ = std::move(clock); }

  // The keys a decoded record reads and writes, appended to `keys`.
  void keys_of(const Record& record, std::vector<EntityKey>& keys) const;
  // One StateStore::read for the keys not yet in the overlay. Throws StateError.
  void prefetch(const std::vector<EntityKey>& keys);
  // Before evaluation: the record's time, entity ids and state values. False with `error`
  // for a malformed `posted_at` or a store that cannot be read (the record fails closed).
  bool prepare(const Record& record, std::string& error);
  const double* values() const { return values_.data(); }
  // After evaluation: the record's effects, applied to the overlay and queued for commit().
  void record(const Record& record, const compiler::plan::EvalResult& result);
  // Writes everything queued in one StateStore::apply and forgets the overlay. Throws StateError.
  void commit();
  bool pending() const { return !pending_.empty(); }
  // Forgets the overlay and what is queued: a listing evaluated only to be explained.
  void discard() {
    overlay_.clear();
    pending_.clear();
  }

  // The last prepared record: its time and the id of each plan entity ("" when absent).
  std::int64_t time() const { return time_; }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  // The overlay's key: "entity \x1f id", the plan's space left out (every key this engine makes
  // is in it; another space is spelled in front). Short enough for the small-string buffer in
  // the common case: a lookup per state read allocated three strings and compared tuples.
  using Key = std::string;
  EntityKey key(std::uint32_t entity) const {
    return {plan_.name, plan_.entities[entity].name, ids_[entity]};
  }
  Key tuple_of(const EntityKey& k) const {
    Key t;
    if (k.space != plan_.name) t.append(k.space).push_back('\x1e');
    t.append(k.entity).push_back('\x1f');
    t.append(k.id);
    return t;
  }
  double counter_value(const EntityState& s, const compiler::plan::PlanCounter& c) const;
  std::int64_t retained_until(std::int64_t expires) const;
  void add(const StateUpdate& u);

  const compiler::plan::Plan& plan_;
  std::shared_ptr<StateStore> store_;
  std::function<std::int64_t()> clock_;
  std::int32_t posted_at_ = -1;  // field id of `posted_at`, -1 when the schema has none
  std::unordered_map<Key, EntityState> overlay_;
  std::vector<StateUpdate> pending_;
  std::vector<double> values_;    // [plan.state_reads]
  std::vector<std::string> ids_;  // [plan.entities]
  std::int64_t time_ = 0;
};

}  // namespace tusk::runtime
