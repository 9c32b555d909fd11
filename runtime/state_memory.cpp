// The in-memory account-state store (tusk/state.h): the default when no other store is given.
// One mutex around one ordered map: the engine calls it twice per batch, so contention is
// negligible next to scanning.
//
// What it keeps is bounded by the updates' `expires`: an entry whose `expires` is before the
// newest event time the store has seen is dropped (on the keys an update touches, and in a
// full sweep every kSweepEvery calls). Times come from the listings, not from a clock, so a
// replay keeps exactly what the first run kept.
#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "tusk/state.h"

namespace tusk {
namespace {

constexpr std::size_t kSweepEvery = 4096;

using Key = std::tuple<std::string, std::string, std::string>;
Key key_of(const EntityKey& k) { return {k.space, k.entity, k.id}; }

struct Entry {
  EntityState state;
  // Parallel to state.buckets / state.seen: when each may be dropped. Labels expire at `until`.
  std::vector<std::int64_t> bucket_expires;
  std::vector<std::int64_t> seen_expires;
};

class MemoryState final : public StateStore {
 public:
  std::vector<EntityState> read(const std::vector<EntityKey>& keys) override {
    std::lock_guard lock(mu_);
    std::vector<EntityState> out;
    out.reserve(keys.size());
    for (const auto& k : keys) {
      auto it = entries_.find(key_of(k));
      out.push_back(it == entries_.end() ? EntityState{} : it->second.state);
    }
    return out;
  }

  void apply(const std::vector<StateUpdate>& updates) override {
    std::lock_guard lock(mu_);
    for (const auto& u : updates) {
      if (u.kind == StateUpdate::Kind::kAdd || u.kind == StateUpdate::Kind::kSee) {
        newest_ = std::max(newest_, u.time);
      }
    }
    for (const auto& u : updates) {
      Key key = key_of(u.key);
      if (u.kind == StateUpdate::Kind::kUnlabel) {
        auto it = entries_.find(key);
        if (it == entries_.end()) continue;
        auto& labels = it->second.state.labels;
        labels.erase(
            std::remove_if(labels.begin(), labels.end(), [&](const auto& l) { return l.name == u.name; }),
            labels.end());
        prune(it);
        continue;
      }
      auto it = entries_.try_emplace(std::move(key)).first;
      Entry& e = it->second;
      switch (u.kind) {
        case StateUpdate::Kind::kAdd: {
          auto& b = e.state.buckets;
          auto found = std::find_if(b.begin(), b.end(),
                                    [&](const auto& x) { return x.counter == u.name && x.start == u.time; });
          if (found == b.end()) {
            b.push_back({u.name, u.time, u.count});
            e.bucket_expires.push_back(u.expires);
          } else {
            found->count += u.count;
            auto& exp = e.bucket_expires[static_cast<std::size_t>(found - b.begin())];
            exp = std::max(exp, u.expires);
          }
          break;
        }
        case StateUpdate::Kind::kSee: {
          auto& s = e.state.seen;
          auto found = std::find_if(s.begin(), s.end(),
                                    [&](const auto& x) { return x.counter == u.name && x.value == u.value; });
          if (found == s.end()) {
            s.push_back({u.name, u.value, u.time});
            e.seen_expires.push_back(u.expires);
          } else {
            found->last = std::max(found->last, u.time);
            auto& exp = e.seen_expires[static_cast<std::size_t>(found - s.begin())];
            exp = std::max(exp, u.expires);
          }
          break;
        }
        case StateUpdate::Kind::kLabel: {
          auto& l = e.state.labels;
          auto found = std::find_if(l.begin(), l.end(), [&](const auto& x) { return x.name == u.name; });
          if (found == l.end()) {
            l.push_back({u.name, u.time, u.value});
          } else if (u.time > found->until) {
            found->until = u.time;
            found->reason = u.value;
          }
          break;
        }
        case StateUpdate::Kind::kUnlabel:
          break;
      }
      prune(it);
    }
    if (++applies_ % kSweepEvery == 0) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        auto next = std::next(it);
        prune(it);
        it = next;
      }
    }
  }

  std::vector<EntityKey> list(const std::string& space, const std::string& entity, const std::string& after,
                              std::size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<EntityKey> out;
    // Key order is (space, entity, id); `after` is an id within `entity` when one is given.
    auto it = entries_.lower_bound(Key{space, entity, after});
    for (; it != entries_.end() && out.size() < limit; ++it) {
      const auto& [s, e, id] = it->first;
      if (s != space || (!entity.empty() && e != entity)) break;
      if (!after.empty() && e == entity && id <= after) continue;
      out.push_back({s, e, id});
    }
    return out;
  }

  bool forget(const EntityKey& key) override {
    std::lock_guard lock(mu_);
    return entries_.erase(key_of(key)) > 0;
  }

  std::string describe() const override { return "memory"; }

 private:
  void prune(std::map<Key, Entry>::iterator it) {
    Entry& e = it->second;
    for (std::size_t i = e.state.buckets.size(); i-- > 0;) {
      if (e.bucket_expires[i] < newest_) {
        e.state.buckets.erase(e.state.buckets.begin() + static_cast<std::ptrdiff_t>(i));
        e.bucket_expires.erase(e.bucket_expires.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    for (std::size_t i = e.state.seen.size(); i-- > 0;) {
      if (e.seen_expires[i] < newest_) {
        e.state.seen.erase(e.state.seen.begin() + static_cast<std::ptrdiff_t>(i));
        e.seen_expires.erase(e.seen_expires.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    auto& labels = e.state.labels;
    labels.erase(
        std::remove_if(labels.begin(), labels.end(), [&](const auto& l) { return l.until < newest_; }),
        labels.end());
    if (e.state.empty()) entries_.erase(it);
  }

  std::mutex mu_;
  std::map<Key, Entry> entries_;
  std::int64_t newest_ = 0;
  std::size_t applies_ = 0;
};

}  // namespace

std::shared_ptr<StateStore> make_memory_state() { return std::make_shared<MemoryState>(); }

}  // namespace tusk
