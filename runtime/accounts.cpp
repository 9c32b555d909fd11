#include "runtime/accounts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

#include "runtime/rfc3339.h"

namespace tusk::runtime {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The start of the bucket holding time t (floor division, also for times before 1970).
std::int64_t bucket_start(std::int64_t t, std::int64_t bucket) {
  const std::int64_t q = t / bucket - ((t % bucket != 0 && t < 0) ? 1 : 0);
  return q * bucket;
}

}  // namespace

AccountEngine::AccountEngine(const compiler::plan::Plan& plan, std::shared_ptr<StateStore> store)
    : plan_(plan), store_(std::move(store)), clock_(system_seconds) {
  for (std::size_t f = 0; f < plan.fields.size(); ++f) {
    if (plan.fields[f].path == "posted_at") posted_at_ = static_cast<std::int32_t>(f);
  }
  values_.assign(plan.state_reads.size(), kNaN);
  ids_.assign(plan.entities.size(), std::string());
}

void AccountEngine::keys_of(const Record& record, std::vector<EntityKey>& keys) const {
  for (const auto& e : plan_.entities) {
    if (!record.present(e.field)) continue;
    const std::string_view id = record.text(e.field);
    if (!id.empty()) keys.push_back({plan_.name, e.name, std::string(id)});
  }
}

void AccountEngine::prefetch(const std::vector<EntityKey>& keys) {
  std::vector<EntityKey> missing;
  std::unordered_set<Key> asked;  // a batch names one seller many times
  for (const auto& k : keys) {
    Key t = tuple_of(k);
    if (overlay_.count(t) != 0 || !asked.insert(std::move(t)).second) continue;
    missing.push_back(k);
  }
  if (missing.empty()) return;
  std::vector<EntityState> states = store_->read(missing);
  for (std::size_t i = 0; i < missing.size() && i < states.size(); ++i) {
    overlay_.emplace(tuple_of(missing[i]), std::move(states[i]));
  }
}

double AccountEngine::counter_value(const EntityState& s, const compiler::plan::PlanCounter& c) const {
  const std::int64_t t = time_;
  const std::int64_t from = t - c.window_seconds;  // the window is (from, t]
  std::int64_t n = 0;
  if (c.distinct) {
    for (const auto& seen : s.seen) {
      if (seen.counter == c.name && seen.last > from && seen.last <= t) ++n;
    }
  } else {
    // A bucket counts when it overlaps the window: the oldest one may hold events up to one
    // bucket (window / 60) older than the window's start — the documented bounded error.
    for (const auto& b : s.buckets) {
      if (b.counter == c.name && b.start <= t && b.start + c.bucket_seconds > from) n += b.count;
    }
  }
  return static_cast<double>(n);
}

bool AccountEngine::prepare(const Record& record, std::string& error) {
  if (posted_at_ >= 0 && record.present(static_cast<stdlib::FieldId>(posted_at_))) {
    const std::string_view text = record.text(static_cast<stdlib::FieldId>(posted_at_));
    const auto t = parse_rfc3339(text);
    if (!t) {
      error = fmt::format("posted_at is not an RFC 3339 date-time (like 2026-01-01T10:00:00Z): \"{}\"", text);
      return false;
    }
    time_ = *t;
  } else {
    time_ = clock_();
  }
  for (std::size_t e = 0; e < plan_.entities.size(); ++e) {
    const stdlib::FieldId f = plan_.entities[e].field;
    ids_[e] = record.present(f) ? std::string(record.text(f)) : std::string();
  }
  std::vector<EntityKey> keys;
  keys_of(record, keys);
  try {
    prefetch(keys);
  } catch (const StateError& ex) {
    error = fmt::format("account state could not be read: {}", ex.what());
    return false;
  }
  for (std::size_t i = 0; i < plan_.state_reads.size(); ++i) {
    const compiler::plan::PlanStateRead& r = plan_.state_reads[i];
    if (ids_[r.entity].empty()) {
      // No entity: a counter has no value, a label is not on.
      values_[i] = r.is_label ? 0.0 : kNaN;
      continue;
    }
    const EntityState& s = overlay_[tuple_of(key(r.entity))];
    if (r.is_label) {
      bool on = false;
      for (const auto& l : s.labels) on = on || (l.name == r.label && l.until > time_);
      values_[i] = on ? 1.0 : 0.0;
    } else {
      values_[i] = counter_value(s, plan_.counters[r.counter]);
    }
  }
  return true;
}

// The store's semantics (tusk/state.h), on the overlay.
// How long a store keeps an update: the window (or label lifetime) counted from the listing's
// time or from now, whichever ends later. Windows are judged in listing time, but stores expire
// by the wall clock; without the second term a replay of last year's listings would write
// state that is already expired and forget it at once (docs/accounts.md, "Retention").
std::int64_t AccountEngine::retained_until(std::int64_t expires) const {
  const std::int64_t wall =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return std::max(expires, wall + (expires - time_));
}

void AccountEngine::add(const StateUpdate& u) {
  EntityState& s = overlay_[tuple_of(u.key)];
  switch (u.kind) {
    case StateUpdate::Kind::kAdd: {
      auto it = std::find_if(s.buckets.begin(), s.buckets.end(),
                             [&](const auto& b) { return b.counter == u.name && b.start == u.time; });
      if (it == s.buckets.end()) {
        s.buckets.push_back({u.name, u.time, u.count});
      } else {
        it->count += u.count;
      }
      break;
    }
    case StateUpdate::Kind::kSee: {
      auto it = std::find_if(s.seen.begin(), s.seen.end(),
                             [&](const auto& x) { return x.counter == u.name && x.value == u.value; });
      if (it == s.seen.end()) {
        s.seen.push_back({u.name, u.value, u.time});
      } else {
        it->last = std::max(it->last, u.time);
      }
      break;
    }
    case StateUpdate::Kind::kLabel: {
      auto it =
          std::find_if(s.labels.begin(), s.labels.end(), [&](const auto& l) { return l.name == u.name; });
      if (it == s.labels.end()) {
        s.labels.push_back({u.name, u.time, u.value});
      } else if (u.time > it->until) {
        it->until = u.time, it->reason = u.value;
      }
      break;
    }
    case StateUpdate::Kind::kUnlabel:
      break;
  }
  pending_.push_back(u);
}

void AccountEngine::record(const Record& record, const compiler::plan::EvalResult& result) {
  const std::size_t counters = plan_.counters.size();
  for (std::size_t c = 0; c < counters; ++c) {
    const compiler::plan::PlanCounter& pc = plan_.counters[c];
    if (!result.effects[c] || ids_[pc.entity].empty()) continue;
    StateUpdate u;
    u.key = key(pc.entity);
    u.name = pc.name;
    if (pc.distinct) {
      if (!record.present(pc.distinct_field)) continue;
      u.value = std::string(record.text(pc.distinct_field));
      if (u.value.empty()) continue;
      const EntityState& s = overlay_[tuple_of(u.key)];
      std::size_t kept = 0;
      bool known = false;
      for (const auto& seen : s.seen) {
        if (seen.counter != pc.name) continue;
        ++kept;
        known = known || seen.value == u.value;
      }
      if (!known && kept >= kMaxDistinctValues) continue;
      u.kind = StateUpdate::Kind::kSee;
      u.time = time_;
      u.expires = retained_until(time_ + pc.window_seconds);
    } else {
      u.kind = StateUpdate::Kind::kAdd;
      u.time = bucket_start(time_, pc.bucket_seconds);
      u.count = 1;
      u.expires = retained_until(u.time + pc.bucket_seconds + pc.window_seconds);
    }
    add(u);
  }
  for (std::size_t l = 0; l < plan_.labels.size(); ++l) {
    const compiler::plan::PlanLabel& pl = plan_.labels[l];
    if (!result.effects[counters + l] || ids_[pl.entity].empty()) continue;
    StateUpdate u;
    u.key = key(pl.entity);
    u.kind = StateUpdate::Kind::kLabel;
    u.name = pl.name;
    u.value = fmt::format("label \"{}\" on listing {}", pl.name, record.id.empty() ? "(no id)" : record.id);
    u.time = time_ + pl.lifetime_seconds;
    u.expires = retained_until(u.time);
    add(u);
  }
}

void AccountEngine::commit() {
  overlay_.clear();
  if (pending_.empty()) return;
  std::vector<StateUpdate> updates;
  updates.swap(pending_);
  store_->apply(updates);
}

}  // namespace tusk::runtime
