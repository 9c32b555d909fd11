// How the stores lay out account state: the byte encoding of an entity key (ordered so that a
// prefix scan lists a space or an entity in key order) and `StoredEntity`, an entity's state
// with the expiry of every item — what EntityState leaves out because the engine never needs
// it, but a store must keep to bound itself by the updates' `expires`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tusk/state.h"

namespace tusk::accounts {

// An item is live while `expires` is 0 (never expires) or still in the future.
inline bool live(std::int64_t expires, std::int64_t now) { return expires <= 0 || now < expires; }

// space, entity and id joined so that byte order is (space, entity, id) order and no id can
// forge another key: a NUL inside a part is written 00 FF, the separator is 00 01.
std::string encode_key(const EntityKey& key);
// The same into `out` (cleared first), reusing its buffer.
void encode_key_into(std::string& out, const EntityKey& key);
// The prefix of every key of `space` (and `entity`, when not empty).
std::string encode_prefix(const std::string& space, const std::string& entity);
std::optional<EntityKey> decode_key(std::string_view bytes);

// The first key strictly after the operator's `after` cursor, for list(): with an entity,
// `after` is an id; without, it is "entity:id" (entity names are identifiers, so the first ':'
// splits). Empty: the prefix itself.
std::string list_start(const std::string& space, const std::string& entity, const std::string& after);

struct StoredEntity {
  struct Bucket {
    std::string counter;
    std::int64_t start = 0, count = 0, expires = 0;
  };
  struct Seen {
    std::string counter, value;
    std::int64_t last = 0, expires = 0;
  };
  struct Label {
    std::string name;
    std::int64_t until = 0, expires = 0;
    std::string reason;
  };
  std::vector<Bucket> buckets;  // sorted by (counter, start)
  std::vector<Seen> seen;       // sorted by (counter, value)
  std::vector<Label> labels;    // sorted by name

  bool empty() const { return buckets.empty() && seen.empty() && labels.empty(); }
  // Drops every item expired at `now`; true when something was dropped.
  bool prune(std::int64_t now);
  // One update, with the semantics of StateUpdate::Kind. The caller prunes first, so an expired
  // item is never revived by a late update.
  void apply(const StateUpdate& u);
  EntityState to_state(std::int64_t now) const;
  // The same into `out` (overwritten; its vectors keep their capacity).
  void to_state_into(EntityState& out, std::int64_t now) const;
  // The latest expiry of any item; 0 when one never expires (or there is none).
  std::int64_t max_expires() const;

  std::string encode() const;
  // The same into `out` (cleared first), reusing its buffer.
  void encode_into(std::string& out) const;
  // The same appended to `out`.
  void encode_append(std::string& out) const;
  // Throws StateError on bytes this version did not write.
  static StoredEntity decode(std::string_view bytes);
};

}  // namespace tusk::accounts
