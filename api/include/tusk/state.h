// Account state: what Tusk remembers about entities (sellers, accounts) across listings —
// windowed counters, distinct-value counters and labels with a lifetime (docs/accounts.md).
// Plain data and one abstract interface, no third-party types. The engine (runtime/) computes
// windows and decisions; a store only keeps numbers, so every store behaves the same and a
// store needs no knowledge of the language.
//
// A store is shared by every scanner of a process (and, for Redis, by several processes): its
// methods must be safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tusk {

// One entity instance. `space` keeps packs apart in a shared store (the pack's name from
// pack.yaml, not its digest: an edited pack keeps its memory); `entity` is the name declared
// in the pack ("seller"), `id` the record's value ("u-123").
struct EntityKey {
  std::string space;
  std::string entity;
  std::string id;
  // Spelled out: the public headers compile as C++17 (tests/install).
  bool operator==(const EntityKey& o) const { return space == o.space && entity == o.entity && id == o.id; }
  bool operator!=(const EntityKey& o) const { return !(*this == o); }
};

// Everything a store holds about one entity instance. Times are Unix seconds (UTC).
struct EntityState {
  // A windowed counter is kept as buckets: bucket start time -> events in the bucket.
  struct Bucket {
    std::string counter;
    std::int64_t start = 0;
    std::int64_t count = 0;
  };
  // A distinct counter keeps, per value, the last time it was seen.
  struct Seen {
    std::string counter;
    std::string value;
    std::int64_t last = 0;
  };
  // A label is on the entity until `until`.
  struct Label {
    std::string name;
    std::int64_t until = 0;
    std::string reason;  // what set it: "rule r on listing L" or an operator's note
  };
  std::vector<Bucket> buckets;
  std::vector<Seen> seen;
  std::vector<Label> labels;
  bool empty() const { return buckets.empty() && seen.empty() && labels.empty(); }
};

// One change. Every kind is commutative and idempotent enough to be applied by several
// workers at once without a read-modify-write race:
//  kAdd     buckets[counter, start] += count
//  kSee     seen[counter, value].last = max(last, time)
//  kLabel   labels[name].until = max(until, time), reason replaced when `until` grows
//  kUnlabel labels[name] removed (an operator's action, e.g. after an appeal)
// `expires` is when the store may drop what this update wrote (window end + one bucket, or
// the label's end): stores must bound what they keep by it.
struct StateUpdate {
  enum class Kind : std::uint8_t { kAdd, kSee, kLabel, kUnlabel };
  EntityKey key;
  Kind kind = Kind::kAdd;
  std::string name;        // counter or label name
  std::string value;       // kSee: the value seen; kLabel: the reason
  std::int64_t time = 0;   // kAdd: bucket start; kSee: when seen; kLabel: label end
  std::int64_t count = 0;  // kAdd: events to add
  std::int64_t expires = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // The state of each key, in order (an empty state for a key never seen or already expired).
  // One call is one round trip for a remote store: the engine reads a whole batch at once.
  virtual std::vector<EntityState> read(const std::vector<EntityKey>& keys) = 0;
  // Applies the updates in order; one call is one round trip for a remote store. Throws
  // tusk::StateError when the store cannot take them (the caller decides: fail the batch).
  virtual void apply(const std::vector<StateUpdate>& updates) = 0;
  // Makes every applied update durable (embedded stores batch writes; docs/accounts.md says
  // what a crash may lose).
  virtual void flush() {}

  // Operators' commands (`tusk accounts`).
  // Up to `limit` keys of `space` (and `entity`, when not empty), in key order, starting
  // after `after` (empty: from the start) — a page of a listing.
  virtual std::vector<EntityKey> list(const std::string& space, const std::string& entity,
                                      const std::string& after, std::size_t limit) = 0;
  // Removes everything about one entity instance; false when there was nothing.
  virtual bool forget(const EntityKey& key) = 0;

  // "memory", "dir:/path" or "redis://host:port/db" — what `--state` was given, for logs.
  virtual std::string describe() const = 0;
};

struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The in-memory store: the default when no `--state` is given; state lives as long as the
// process. Implemented in runtime/ (runtime/state_memory.cpp).
std::shared_ptr<StateStore> make_memory_state();

}  // namespace tusk
