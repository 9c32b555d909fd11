#include "accounts/embedded_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "accounts/entity_codec.h"

namespace tusk::accounts {
namespace fs = std::filesystem;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EmbeddedStore::EmbeddedStore(std::unique_ptr<KvEngine> kv, std::string description, EmbeddedOptions options,
                             int lock_fd, std::unique_ptr<StateLog> log)
    : kv_(std::move(kv)),
      description_(std::move(description)),
      options_(std::move(options)),
      engine_(options_.engine),
      lock_fd_(lock_fd) {
  if (!options_.now) options_.now = system_now;
  // Writing behind needs the cache: it holds the changed entities until the engine has them.
  if (log && options_.cache_entities > 0) {
    log_ = std::move(log);
    saver_ = std::thread([this] { saver(); });
  }
  const bool syncs =
      engine_ != KvKind::kMemory && options_.durability == EmbeddedOptions::Durability::kGroupCommit;
  if (syncs || options_.sweep_interval.count() > 0) bg_ = std::thread([this] { background(); });
}

EmbeddedStore::~EmbeddedStore() {
  {
    std::lock_guard lock(bg_mu_);
    stopping_ = true;
  }
  bg_cv_.notify_all();
  if (bg_.joinable()) bg_.join();
  {
    std::lock_guard lock(save_wake_mu_);
    stopping_saver_ = true;
  }
  save_cv_.notify_all();
  if (saver_.joinable()) saver_.join();
  try {
    save();  // the next open then replays nothing
    if (log_) log_->sync();
    kv_->sync();
  } catch (const StateError&) {
    // Nothing to tell a destructor's caller; what was written is in the OS already, and the log
    // replays it at the next open.
  }
  kv_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

EmbeddedStore::Cached* EmbeddedStore::cached(std::string_view key) {
  auto* e = entry(key);
  return e ? &e->second : nullptr;
}

EmbeddedStore::Entry* EmbeddedStore::entry(std::string_view key) {
  auto it = cache_.find(key);
  if (it == cache_.end()) return nullptr;
  it->second.used = ++tick_;
  return &*it;
}

void EmbeddedStore::remember(const std::string& key, StoredEntity entity, bool trim_now) {
  if (options_.cache_entities == 0) return;
  auto& c = cache_[key];
  c.entity = std::move(entity);
  c.used = ++tick_;
  if (trim_now) trim();
}

void EmbeddedStore::trim() {
  while (cache_.size() > options_.cache_entities) {
    // Five entries from random buckets; the one used longest ago is evicted. Entities the engine
    // does not have yet are not evicted: when the five are all such, the cache stays over its
    // size until the next save.
    auto victim = cache_.end();
    for (int sample = 0; sample < 5; ++sample) {
      seed_ ^= seed_ << 13, seed_ ^= seed_ >> 7, seed_ ^= seed_ << 17;  // xorshift64
      const auto buckets = cache_.bucket_count();
      for (std::size_t b = seed_ % buckets, n = 0; n < buckets; b = (b + 1) % buckets, ++n) {
        if (cache_.bucket_size(b) == 0) continue;
        const auto& key = cache_.begin(b)->first;
        auto it = cache_.find(key);
        if (pinned(it->second)) break;
        if (victim == cache_.end() || it->second.used < victim->second.used) victim = it;
        break;
      }
    }
    if (victim == cache_.end()) return;
    cache_.erase(victim);
  }
}

void EmbeddedStore::forget_cached(std::string_view key) {
  if (auto it = cache_.find(key); it != cache_.end()) cache_.erase(it);
}

std::vector<EntityState> EmbeddedStore::read(const std::vector<EntityKey>& keys) {
  std::vector<EntityState> out(keys.size());
  std::vector<std::string> missing;
  std::vector<std::size_t> where;
  std::uint64_t generation;
  const auto now = options_.now();
  // Every key encoded into one buffer first: a cached entity is found without an allocation.
  std::string k, all;
  std::vector<std::size_t> ends(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    encode_key_into(k, keys[i]);
    all.append(k);
    ends[i] = all.size();
  }
  const auto key_at = [&](std::size_t i) {
    const std::size_t from = i == 0 ? 0 : ends[i - 1];
    return std::string_view(all).substr(from, ends[i] - from);
  };
  {
    std::lock_guard lock(mu_);
    check_usable();
    // All lookups first, then all copies: a lookup among 100k+ entities is a chain of cache
    // misses, and with nothing but lookups in the loop the CPU runs the next ones' misses while
    // it waits for this one's (a copy in between fills its window). The entities' items are
    // prefetched the same way before they are copied.
    std::vector<Cached*> found(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) found[i] = cached(key_at(i));
    for (auto* c : found) {
      if (!c) continue;
      __builtin_prefetch(c->entity.buckets.data());
      __builtin_prefetch(c->entity.seen.data());
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (found[i]) {
        found[i]->entity.to_state_into(out[i], now);
      } else {
        missing.emplace_back(key_at(i));
        where.push_back(i);
      }
    }
    generation = generation_;
  }
  if (missing.empty()) return out;
  const auto values = kv_->get(missing);
  std::lock_guard lock(mu_);
  // Cache what was read only if nothing was written meanwhile: the bytes may be older than a
  // write that has since been evicted.
  const bool fresh = generation == generation_;
  for (std::size_t j = 0; j < missing.size(); ++j) {
    StoredEntity e = values[j] ? StoredEntity::decode(*values[j]) : StoredEntity{};
    e.to_state_into(out[where[j]], now);
    if (fresh) remember(missing[j], std::move(e));
  }
  return out;
}

void EmbeddedStore::apply(const std::vector<StateUpdate>& updates) {
  if (updates.empty()) return;
  std::unique_lock lock(write_mu_);
  const auto now = options_.now();
  // Each update's entity, as an index into keys_: one read and one write per entity. The engine
  // queues an entity's updates one after the other, so most updates share the previous one's
  // key and need no lookup; the others go through a small open-addressing table over keys_.
  std::vector<std::uint32_t> slot(updates.size());
  std::size_t cap = 16;
  while (cap < 2 * updates.size()) cap <<= 1;
  std::vector<std::uint32_t> table(cap, 0);  // entity index + 1; 0: free
  std::size_t n = 0;
  std::string k;
  for (std::size_t i = 0; i < updates.size(); ++i) {
    if (i > 0 && updates[i].key == updates[i - 1].key) {
      slot[i] = slot[i - 1];
      continue;
    }
    encode_key_into(k, updates[i].key);
    for (std::size_t p = std::hash<std::string_view>{}(k) & (cap - 1);; p = (p + 1) & (cap - 1)) {
      if (table[p] == 0) {
        if (n == keys_.size()) keys_.emplace_back();
        keys_[n].assign(k);  // keeps the buffer of an earlier batch's key
        table[p] = static_cast<std::uint32_t>(++n);
        slot[i] = static_cast<std::uint32_t>(n - 1);
        break;
      }
      if (keys_[table[p] - 1] == k) {
        slot[i] = table[p] - 1;
        break;
      }
    }
  }

  // The entities are changed in place in the cache (one lookup each). Writing through, a failed
  // write drops them from the cache, so the next read goes back to what the disk has; writing
  // behind, a failed log write leaves the store unusable (check_usable()).
  std::vector<StoredEntity*> entities(n);
  std::vector<Entry*> entries(n);  // the cache's entries (write-behind: always cached)
  std::vector<StoredEntity> local;
  std::unique_lock cache(mu_);
  check_usable();
  std::vector<std::string> missing;
  for (std::size_t j = 0; j < n; ++j) {
    if (auto* e = entry(keys_[j])) {
      entries[j] = e;
      entities[j] = &e->second.entity;
    } else {
      missing.push_back(keys_[j]);
    }
  }
  if (!missing.empty()) {
    // Entities not cached are read from the engine without holding the cache (reads go on), and
    // what is read is current: no write can happen while we hold write_mu_, and an entity the
    // engine does not have yet is pinned in the cache. A concurrent read() may cache or evict
    // entities meanwhile, so every key is looked up again after.
    cache.unlock();
    const auto values = kv_->get(missing);
    cache.lock();
    local.resize(n);
    std::size_t m = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const std::optional<std::string>* value = nullptr;
      if (m < missing.size() && missing[m] == keys_[j]) value = &values[m++];
      if (auto* e = entry(keys_[j])) {
        entries[j] = e;
        entities[j] = &e->second.entity;
        continue;
      }
      std::optional<std::string> late;
      if (!value) {  // cached above, evicted since
        late = kv_->get({keys_[j]})[0];
        value = &late;
      }
      if (*value) local[j] = StoredEntity::decode(**value);
      entities[j] = &local[j];
      if (options_.cache_entities > 0) {
        remember(keys_[j], std::move(local[j]), /*trim_now=*/false);
        entries[j] = entry(keys_[j]);
        entities[j] = &entries[j]->second.entity;
      }
    }
  }
  bool save_now = false;
  try {
    std::vector<std::uint8_t> existed(n);
    for (std::size_t j = 0; j < n; ++j) {
      existed[j] = !entities[j]->empty();
      entities[j]->prune(now);  // before any update: an expired item is never revived
    }
    for (std::size_t i = 0; i < updates.size(); ++i) entities[slot[i]]->apply(updates[i]);
    const bool sync = options_.durability == EmbeddedOptions::Durability::kSyncEachApply;
    if (log_) {
      // Each changed entity encoded straight into the log's record: the one copy of the batch.
      log_->begin();
      bool any = false;
      for (std::size_t j = 0; j < n; ++j) {
        const StoredEntity& e = *entities[j];
        if (e.empty()) {
          if (!existed[j]) continue;
          log_->add(keys_[j], {}, true);
        } else {
          e.encode_append(log_->begin_put(keys_[j]));
          log_->end_put();
        }
        any = true;
      }
      if (any) {
        log_->commit(sync);
        // The log has the batch: the changed entities stay cached until the engine has them.
        for (std::size_t j = 0; j < n; ++j) {
          auto& c = entries[j]->second;
          if (c.pin != kDirty) {
            c.pin = kDirty;
            dirty_.push_back(entries[j]);
          }
        }
      }
      const std::size_t limit = std::max<std::size_t>(options_.save_entities, 1);
      const std::uint64_t bytes = std::max<std::uint64_t>(options_.save_log_bytes, 1);
      if (dirty_.size() >= 4 * limit || log_->bytes() >= 4 * bytes) {
        save_now = true;  // the saver is behind: this batch waits for a save
      } else if (dirty_.size() >= limit || log_->bytes() >= bytes) {
        std::lock_guard wake(save_wake_mu_);
        save_wanted_ = true;
        save_cv_.notify_one();
      }
    } else {
      if (values_.size() < n) values_.resize(n);
      batch_.clear();
      for (std::size_t j = 0; j < n; ++j) {
        const StoredEntity& e = *entities[j];
        if (e.empty()) {
          if (existed[j]) batch_.push_back({keys_[j], {}, true});
        } else {
          e.encode_into(values_[j]);
          batch_.push_back({keys_[j], values_[j]});
        }
      }
      if (!batch_.empty()) kv_->write(batch_, sync);
    }
  } catch (...) {
    if (log_) {
      failed_ = true;  // the cached entities were changed and the log does not say so
    } else {
      for (std::size_t j = 0; j < n; ++j) forget_cached(keys_[j]);
    }
    ++generation_;
    throw;
  }
  ++generation_;
  trim();
  cache.unlock();
  lock.unlock();
  {
    std::lock_guard bg(bg_mu_);
    dirty_since_sync_ = true;
  }
  if (save_now) save();
}

void EmbeddedStore::save() {
  if (!log_) return;
  std::lock_guard saving(save_mu_);
  std::vector<Entry*> entries;
  std::vector<KvWrite> batch;
  std::uint64_t epoch = 0, ended = 0;
  {
    std::lock_guard writing(write_mu_);
    std::lock_guard cache(mu_);
    check_usable();
    if (dirty_.empty()) return;
    // What the engine receives covers every record up to `ended`.
    ended = log_->rotate(options_.durability == EmbeddedOptions::Durability::kSyncEachApply);
    entries.swap(dirty_);
    epoch = ++epoch_;
  }
  std::size_t encoded = 0;  // entries[0, encoded) have pin == epoch unless changed again since
  try {
    // The ended segments and the new one's name made durable at once, not after the encoding
    // and the engine's write: the power-loss bound (the last sync_interval) holds across a save.
    log_->sync_ended();
    if (save_values_.size() < entries.size()) save_values_.resize(entries.size());
    batch.reserve(entries.size());
    // Encoded a few hundred at a time, apply() and read() going on in between: a save of
    // 100,000 entities under one lock held the writer for a large fraction of a second. An
    // entity changed meanwhile is encoded as it is by then — a value the log also has (every
    // change is logged whole), so the engine still holds at least the log up to `ended`, and a
    // replay that puts the later records again ends at the same values.
    constexpr std::size_t kChunk = 256;
    while (encoded < entries.size()) {
      std::lock_guard writing(write_mu_);
      std::lock_guard cache(mu_);
      for (const auto end = std::min(entries.size(), encoded + kChunk); encoded < end; ++encoded) {
        auto& [key, c] = *entries[encoded];
        c.pin = epoch;
        if (c.entity.empty()) {
          batch.push_back({key, {}, true});
        } else {
          c.entity.encode_into(save_values_[encoded]);
          batch.push_back({key, save_values_[encoded]});
        }
      }
    }
    // The keys are the pinned entries' own: they stay in the cache until saved_ reaches epoch.
    // In key order, an engine inserts each key next to the one before (RocksDB's skip list keeps
    // its place between inserts; a B-tree touches each page once).
    std::sort(batch.begin(), batch.end(), [](const KvWrite& a, const KvWrite& b) { return a.key < b.key; });
    kv_->write(batch, false);
    kv_->sync();
  } catch (...) {
    // Back in the next save: the ones not encoded yet (still kDirty, in no list), and the
    // encoded ones not changed since (an entity changed since is kDirty and listed again). The
    // log keeps every segment until a save succeeds.
    std::lock_guard writing(write_mu_);
    std::lock_guard cache(mu_);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto& c = entries[i]->second;
      if (i >= encoded || c.pin == epoch) {
        c.pin = kDirty;
        dirty_.push_back(entries[i]);
      }
    }
    throw;
  }
  log_->drop_through(ended);
  std::lock_guard cache(mu_);
  saved_ = epoch;
}

void EmbeddedStore::saver() {
  std::unique_lock lock(save_wake_mu_);
  while (!stopping_saver_) {
    save_cv_.wait_for(lock, options_.save_interval, [this] { return save_wanted_ || stopping_saver_; });
    if (stopping_saver_) break;
    save_wanted_ = false;
    lock.unlock();
    try {
      save();
    } catch (const StateError&) {
      // Retried on the next round; the log keeps everything meanwhile, and apply() reports a
      // store that cannot write.
    }
    lock.lock();
  }
}

void EmbeddedStore::check_usable() const {
  if (failed_) {
    throw StateError(
        "account state: a write to the store's log failed earlier; reopen the store (its log replays "
        "every batch that was acknowledged)");
  }
}

void EmbeddedStore::flush() {
  if (log_) {
    log_->sync();
  } else {
    kv_->sync();
  }
}

std::vector<EntityKey> EmbeddedStore::list(const std::string& space, const std::string& entity,
                                           const std::string& after, std::size_t limit) {
  std::vector<EntityKey> out;
  save();  // the engine's order is the listing's: it must have every entity first
  const auto prefix = encode_prefix(space, entity);
  auto from = list_start(space, entity, after);
  const auto now = options_.now();
  while (out.size() < limit) {
    const std::size_t page = std::max<std::size_t>(limit - out.size(), 64);
    const auto rows = kv_->scan(prefix, from, page);
    for (const auto& [k, v] : rows) {
      // An entity whose every item expired is gone to the reader, even before the sweep.
      if (StoredEntity::decode(v).to_state(now).empty()) continue;
      if (auto key = decode_key(k)) out.push_back(std::move(*key));
      if (out.size() == limit) break;
    }
    if (rows.size() < page) break;
    from = rows.back().first + '\0';
  }
  return out;
}

bool EmbeddedStore::forget(const EntityKey& key) {
  const auto k = encode_key(key);
  // No save runs meanwhile: it could write the entity back to the engine after its deletion.
  std::lock_guard saving(save_mu_);
  std::lock_guard lock(write_mu_);
  const auto now = options_.now();
  std::optional<bool> had;  // from the cache, which is ahead of the engine
  {
    std::lock_guard cache(mu_);
    check_usable();
    if (const auto* c = cached(k)) had = !c->entity.to_state(now).empty();
  }
  if (!had) {
    const auto values = kv_->get({k});
    if (!values[0]) return false;
    had = !StoredEntity::decode(*values[0]).to_state(now).empty();
  }
  // A deletion request is synced whatever the durability: it must not come back after a crash.
  // The log says it too, after whatever it holds of the entity, so a replay ends deleted.
  if (log_) {
    log_->begin();
    log_->add(k, {}, true);
    log_->commit(true);
  }
  kv_->write({KvWrite{k, {}, true}}, true);
  std::lock_guard cache(mu_);
  ++generation_;
  if (auto it = cache_.find(std::string_view(k)); it != cache_.end()) {
    std::erase(dirty_, &*it);
    cache_.erase(it);
  }
  return *had;
}

std::size_t EmbeddedStore::sweep() {
  save();  // the sweep walks the engine: it must have every entity first
  std::size_t changed = 0;
  std::string from;
  constexpr std::size_t kPage = 1024;  // the write lock is held for one page at a time
  for (;;) {
    std::lock_guard lock(write_mu_);
    const auto now = options_.now();
    const auto rows = kv_->scan("", from, kPage);
    std::vector<std::string> encoded;
    encoded.reserve(rows.size());  // no reallocation: `batch` holds views of these
    std::vector<KvWrite> batch;
    std::unique_lock cache(mu_);
    for (const auto& [k, v] : rows) {
      // An entity the engine does not have yet is newer in the cache; it is pruned when written.
      if (const auto* c = cached(k); c && pinned(*c)) continue;
      auto e = StoredEntity::decode(v);
      if (!e.prune(now)) continue;
      if (e.empty()) {
        batch.push_back({k, {}, true});
      } else {
        encoded.push_back(e.encode());
        batch.push_back({k, encoded.back()});
      }
    }
    cache.unlock();
    if (!batch.empty()) {
      kv_->write(batch, false);
      std::lock_guard relock(mu_);
      ++generation_;
      for (const auto& w : batch) forget_cached(w.key);
    }
    changed += batch.size();
    if (rows.size() < kPage) break;
    from = rows.back().first + '\0';
  }
  return changed;
}

void EmbeddedStore::background() {
  using namespace std::chrono;
  const bool syncs =
      engine_ != KvKind::kMemory && options_.durability == EmbeddedOptions::Durability::kGroupCommit;
  const auto sweep_every = options_.sweep_interval;
  auto next_sweep = steady_clock::now() + sweep_every;
  std::unique_lock lock(bg_mu_);
  while (!stopping_) {
    auto wake = sweep_every.count() > 0 ? next_sweep : steady_clock::time_point::max();
    if (syncs) wake = std::min(wake, steady_clock::now() + options_.sync_interval);
    bg_cv_.wait_until(lock, wake, [this] { return stopping_; });
    if (stopping_) break;
    const bool sync_now = syncs && dirty_since_sync_;
    dirty_since_sync_ = false;
    lock.unlock();
    try {
      if (sync_now) flush();
      if (sweep_every.count() > 0 && steady_clock::now() >= next_sweep) {
        sweep();
        next_sweep = steady_clock::now() + sweep_every;
      }
    } catch (const StateError&) {
      // A failed sync or sweep is retried on the next round; apply() reports real write errors.
    }
    lock.lock();
  }
}

namespace {

constexpr const char* kFormatFile = "FORMAT";
// 2: the store's own log (DIR/log) may hold batches the engine does not have yet. A version-1
// directory has no log and the same engine contents, so it is opened and marked 2 — after which
// a version of Tusk that reads only 1 refuses it instead of missing what the log holds.
constexpr const char* kFormatMagic = "tusk-account-state";
constexpr int kFormatVersion = 2;

void write_format(const fs::path& root, KvKind engine) {
  const auto format = root / kFormatFile;
  const auto temp = root / "FORMAT.new";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << kFormatMagic << ' ' << kFormatVersion << '\n' << kv_kind_name(engine) << '\n';
    out.flush();
    if (!out) throw StateError("account state: cannot write " + temp.string());
  }
  const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw StateError("account state: cannot sync " + temp.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(temp, format, ec);
  if (ec) throw StateError("account state: cannot write " + format.string() + ": " + ec.message());
}

int lock_directory(const fs::path& dir) {
  const auto path = dir / "LOCK";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw StateError("account state: cannot open " + path.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw StateError(
        "account state: " + dir.string() +
        " is in use by another process (an embedded store has one process; share state through redis://)");
  }
  return fd;
}

}  // namespace

std::shared_ptr<EmbeddedStore> open_embedded(const std::string& dir, EmbeddedOptions options) {
  const fs::path root(dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec || !fs::is_directory(root)) throw StateError("account state: cannot create directory " + dir);
  const auto format = root / kFormatFile;
  bool upgrade = false;
  if (fs::exists(format)) {
    std::ifstream in(format);
    std::string magic, engine;
    std::getline(in, magic);
    std::getline(in, engine);
    const auto kind = kv_kind_from_name(engine);
    const auto version = magic.rfind(std::string(kFormatMagic) + ' ', 0) == 0
                             ? std::string_view(magic).substr(std::strlen(kFormatMagic) + 1)
                             : std::string_view();
    if ((version != "1" && version != "2") || !kind || *kind == KvKind::kMemory) {
      throw StateError("account state: " + dir +
                       " has a state format this version cannot read (FORMAT says '" + magic +
                       "'; this version reads " + kFormatMagic +
                       " 1 and 2): open it with the Tusk "
                       "that wrote it, or start a new directory");
    }
    upgrade = version == "1";
    options.engine = *kind;
  } else if (!fs::is_empty(root)) {
    throw StateError("account state: " + dir + " is not empty and is not a state directory (no FORMAT file)");
  } else {
    if (options.engine == KvKind::kMemory) {
      throw StateError("account state: the memory engine has no directory");
    }
  }
  const int fd = lock_directory(root);
  try {
    if (!fs::exists(format) || upgrade) write_format(root, options.engine);
    fs::create_directories(root / "data");
    auto kv = open_kv(options.engine, (root / "data").string());
    // What the last process acknowledged but had not saved into the engine: put back, made
    // durable, and only then is the log started afresh.
    auto log = std::make_unique<StateLog>((root / "log").string());
    std::vector<std::string> keys, values;
    std::vector<std::uint8_t> erase;
    auto put_back = [&] {
      std::vector<KvWrite> batch;
      batch.reserve(keys.size());
      for (std::size_t i = 0; i < keys.size(); ++i) batch.push_back({keys[i], values[i], erase[i] != 0});
      if (!batch.empty()) kv->write(batch, false);
      keys.clear();
      values.clear();
      erase.clear();
    };
    bool replayed = false;
    log->replay([&](std::string_view key, std::string_view value, bool del) {
      keys.emplace_back(key);
      values.emplace_back(value);
      erase.push_back(del ? 1 : 0);
      replayed = true;
      if (keys.size() >= 4096) put_back();
    });
    put_back();
    if (replayed) kv->sync();
    log->start();
    return std::make_shared<EmbeddedStore>(std::move(kv),
                                           "dir:" + fs::absolute(root).lexically_normal().string(),
                                           std::move(options), fd, std::move(log));
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::shared_ptr<EmbeddedStore> make_memory_store(EmbeddedOptions options) {
  options.engine = KvKind::kMemory;
  return std::make_shared<EmbeddedStore>(open_kv(KvKind::kMemory, ""), "memory", std::move(options), -1);
}

}  // namespace tusk::accounts
