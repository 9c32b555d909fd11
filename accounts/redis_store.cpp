#include "accounts/redis_store.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <map>
#include <unordered_map>

#include "accounts/entity_codec.h"
#include "accounts/redis_script.h"

namespace tusk::accounts {

struct RedisStore::Reply {
  int type = 0;  // REDIS_REPLY_*
  std::string str;
  long long integer = 0;
  std::vector<Reply> elements;
};

namespace {

RedisStore::Reply own(const redisReply* r);

std::string hash_key(const std::string& member) { return "tusk:e:" + member; }
std::string lex_index(const std::string& space) { return "tusk:i:" + space; }
std::string expiry_index(const std::string& space) { return "tusk:x:" + space; }

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// "a b rest" -> a, b and the rest (the label's reason).
void split_value(std::string_view v, std::int64_t& a, std::int64_t& b, std::string* rest) {
  const auto s1 = v.find(' ');
  const auto s2 = s1 == std::string_view::npos ? s1 : v.find(' ', s1 + 1);
  a = to_int(v.substr(0, s1));
  b = s1 == std::string_view::npos
          ? 0
          : to_int(v.substr(s1 + 1, s2 == std::string_view::npos ? s2 : s2 - s1 - 1));
  if (rest) *rest = s2 == std::string_view::npos ? "" : std::string(v.substr(s2 + 1));
}

// One entity hash (HGETALL's flat array) -> its live state, in the embedded store's order.
EntityState decode_hash(const std::vector<RedisStore::Reply>& flat, std::int64_t now) {
  StoredEntity e;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
    const std::string& field = flat[i].str;
    const std::string& value = flat[i + 1].str;
    if (field.size() < 2 || field[1] != '\0') continue;
    const auto body = std::string_view(field).substr(2);
    const auto sep = body.find('\0');
    std::int64_t a = 0, x = 0;
    if (field[0] == 'b' && sep != std::string_view::npos) {
      split_value(value, a, x, nullptr);
      e.buckets.push_back({std::string(body.substr(0, sep)), to_int(body.substr(sep + 1)), a, x});
    } else if (field[0] == 's' && sep != std::string_view::npos) {
      split_value(value, a, x, nullptr);
      e.seen.push_back({std::string(body.substr(0, sep)), std::string(body.substr(sep + 1)), a, x});
    } else if (field[0] == 'l') {
      std::string reason;
      split_value(value, a, x, &reason);
      e.labels.push_back({std::string(body), a, x, std::move(reason)});
    }
  }
  std::sort(e.buckets.begin(), e.buckets.end(), [](const auto& l, const auto& r) {
    return std::tie(l.counter, l.start) < std::tie(r.counter, r.start);
  });
  std::sort(e.seen.begin(), e.seen.end(), [](const auto& l, const auto& r) {
    return std::tie(l.counter, l.value) < std::tie(r.counter, r.value);
  });
  std::sort(e.labels.begin(), e.labels.end(), [](const auto& l, const auto& r) { return l.name < r.name; });
  return e.to_state(now);
}

const char* kind_code(StateUpdate::Kind k) {
  switch (k) {
    case StateUpdate::Kind::kAdd:
      return "a";
    case StateUpdate::Kind::kSee:
      return "s";
    case StateUpdate::Kind::kLabel:
      return "l";
    case StateUpdate::Kind::kUnlabel:
      return "u";
  }
  return "?";
}

RedisStore::Reply own(const redisReply* r) {
  RedisStore::Reply out;
  out.type = r->type;
  out.integer = r->integer;
  if (r->str) out.str.assign(r->str, r->len);
  for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(own(r->element[i]));
  return out;
}

}  // namespace

RedisAddress parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  const std::string whole(url);
  if (url.substr(0, kScheme.size()) != kScheme) {
    throw StateError("--state " + whole + ": expected redis://HOST[:PORT][/DB]");
  }
  auto rest = url.substr(kScheme.size());
  RedisAddress a;
  const auto slash = rest.find('/');
  auto hostport = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const auto db = rest.substr(slash + 1);
    const auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), a.db);
    if (db.empty() || ec != std::errc() || p != db.data() + db.size() || a.db < 0) {
      throw StateError("--state " + whole + ": the database after '/' must be a number");
    }
  }
  const auto colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    const auto port = hostport.substr(colon + 1);
    const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
    if (port.empty() || ec != std::errc() || p != port.data() + port.size() || a.port <= 0 ||
        a.port > 65535) {
      throw StateError("--state " + whole + ": the port must be a number from 1 to 65535");
    }
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) throw StateError("--state " + whole + ": no host");
  if (hostport.find('@') != std::string_view::npos) {
    throw StateError("--state " + whole + ": passwords in the URL are not supported");
  }
  a.host = std::string(hostport);
  return a;
}

std::shared_ptr<RedisStore> RedisStore::open(std::string_view url, RedisOptions options) {
  auto store = std::make_shared<RedisStore>(parse_redis_url(url), std::move(options));
  std::lock_guard lock(store->mu_);
  store->connect_locked();
  return store;
}

RedisStore::RedisStore(RedisAddress address, RedisOptions options)
    : address_(std::move(address)), options_(std::move(options)) {
  if (!options_.now) options_.now = system_now;
}

RedisStore::~RedisStore() {
  if (ctx_) redisFree(ctx_);
}

std::string RedisStore::describe() const {
  return "redis://" + address_.host + ":" + std::to_string(address_.port) + "/" + std::to_string(address_.db);
}

void RedisStore::connect_locked() {
  if (ctx_) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
  const timeval tv{static_cast<time_t>(options_.timeout.count() / 1000),
                   static_cast<suseconds_t>(options_.timeout.count() % 1000 * 1000)};
  redisContext* c = redisConnectWithTimeout(address_.host.c_str(), address_.port, tv);
  if (!c || c->err) {
    const std::string why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    throw StateError("account state: cannot connect to " + describe() + ": " + why);
  }
  redisSetTimeout(c, tv);
  ctx_ = c;
  std::vector<std::vector<std::string>> setup;
  if (address_.db != 0) setup.push_back({"SELECT", std::to_string(address_.db)});
  setup.push_back({"SCRIPT", "LOAD", kApplyScript});
  auto replies = pipeline(setup);
  for (const auto& r : replies) {
    if (r.type == REDIS_REPLY_ERROR) throw StateError("account state: " + describe() + ": " + r.str);
  }
  script_sha_ = replies.back().str;
}

std::vector<RedisStore::Reply> RedisStore::pipeline(const std::vector<std::vector<std::string>>& commands) {
  if (!ctx_) connect_locked();
  round_trips_.fetch_add(1, std::memory_order_relaxed);
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& cmd : commands) {
    argv.clear();
    lens.clear();
    for (const auto& a : cmd) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data());
  }
  std::vector<Reply> out;
  out.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || !raw) {
      const std::string why = ctx_->errstr;
      // The connection is in an unknown state: drop it, the next call reconnects.
      redisFree(ctx_);
      ctx_ = nullptr;
      throw StateError("account state: " + describe() + ": " + why);
    }
    out.push_back(own(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return out;
}

std::vector<EntityState> RedisStore::read(const std::vector<EntityKey>& keys) {
  std::vector<EntityState> out(keys.size());
  if (keys.empty()) return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(keys.size());
  for (const auto& k : keys) cmds.push_back({"HGETALL", hash_key(encode_key(k))});
  std::vector<Reply> replies;
  {
    std::lock_guard lock(mu_);
    replies = pipeline(cmds);
  }
  const auto now = options_.now();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (replies[i].type == REDIS_REPLY_ERROR) throw StateError("account state: read: " + replies[i].str);
    out[i] = decode_hash(replies[i].elements, now);
  }
  return out;
}

void RedisStore::apply(const std::vector<StateUpdate>& updates) {
  if (updates.empty()) return;
  // Entities in first-seen order, each with its updates in order; index keys after them.
  std::unordered_map<std::string, std::size_t> slot;
  std::vector<std::string> members;
  std::vector<std::vector<const StateUpdate*>> per;
  std::map<std::string, std::size_t> index_slot;  // space -> KEYS position of tusk:i (tusk:x follows)
  for (const auto& u : updates) {
    auto [it, fresh] = slot.try_emplace(encode_key(u.key), members.size());
    if (fresh) {
      members.push_back(it->first);
      per.emplace_back();
    }
    per[it->second].push_back(&u);
    index_slot.try_emplace(u.key.space, 0);
  }
  std::vector<std::string> cmd{"EVALSHA", script_sha_, ""};
  for (const auto& m : members) cmd.push_back(hash_key(m));
  for (auto& [space, pos] : index_slot) {
    pos = cmd.size() - 3 + 1;  // Lua's KEYS are 1-based
    cmd.push_back(lex_index(space));
    cmd.push_back(expiry_index(space));
  }
  cmd[2] = std::to_string(cmd.size() - 3);
  cmd.push_back(std::to_string(options_.now()));
  cmd.push_back(std::to_string(members.size()));
  for (std::size_t e = 0; e < members.size(); ++e) {
    const auto pos = index_slot.at(per[e].front()->key.space);
    cmd.push_back(members[e]);
    cmd.push_back(std::to_string(pos));
    cmd.push_back(std::to_string(pos + 1));
    cmd.push_back(std::to_string(per[e].size()));
    for (const auto* u : per[e]) {
      cmd.push_back(kind_code(u->kind));
      cmd.push_back(u->name);
      cmd.push_back(u->value);
      cmd.push_back(std::to_string(u->time));
      cmd.push_back(std::to_string(u->count));
      cmd.push_back(std::to_string(u->expires));
    }
  }
  std::lock_guard lock(mu_);
  if (script_sha_.empty()) connect_locked();
  cmd[1] = script_sha_;
  auto reply = pipeline({cmd});
  if (reply[0].type == REDIS_REPLY_ERROR && reply[0].str.rfind("NOSCRIPT", 0) == 0) {
    // The server lost its scripts (a restart, SCRIPT FLUSH): send the body once, which loads it.
    cmd[0] = "EVAL";
    cmd[1] = kApplyScript;
    reply = pipeline({cmd});
  }
  if (reply[0].type == REDIS_REPLY_ERROR) throw StateError("account state: apply: " + reply[0].str);
}

std::vector<EntityKey> RedisStore::list(const std::string& space, const std::string& entity,
                                        const std::string& after, std::size_t limit) {
  std::vector<EntityKey> out;
  const auto prefix = encode_prefix(space, entity);
  std::string from = "[" + list_start(space, entity, after);
  const auto now = options_.now();
  std::lock_guard lock(mu_);
  while (out.size() < limit) {
    const std::size_t page = std::max<std::size_t>(limit - out.size(), 64);
    auto r = pipeline({{"ZRANGEBYLEX", lex_index(space), from, "+", "LIMIT", "0", std::to_string(page)}});
    if (r[0].type == REDIS_REPLY_ERROR) throw StateError("account state: list: " + r[0].str);
    std::vector<std::string> candidates;
    for (const auto& m : r[0].elements) {
      if (m.str.compare(0, prefix.size(), prefix) != 0) break;
      candidates.push_back(m.str);
    }
    if (candidates.empty()) break;
    // The index may still name an entity whose key expired: read them back and keep the live.
    std::vector<std::vector<std::string>> reads;
    reads.reserve(candidates.size());
    for (const auto& c : candidates) reads.push_back({"HGETALL", hash_key(c)});
    const auto states = pipeline(reads);
    for (std::size_t i = 0; i < candidates.size() && out.size() < limit; ++i) {
      if (decode_hash(states[i].elements, now).empty()) continue;
      if (auto key = decode_key(candidates[i])) out.push_back(std::move(*key));
    }
    if (candidates.size() < page) break;
    from = "(" + candidates.back();
  }
  return out;
}

bool RedisStore::forget(const EntityKey& key) {
  const auto member = encode_key(key);
  const auto h = hash_key(member);
  std::lock_guard lock(mu_);
  auto r = pipeline({{"MULTI"},
                     {"HGETALL", h},
                     {"DEL", h},
                     {"ZREM", lex_index(key.space), member},
                     {"ZREM", expiry_index(key.space), member},
                     {"EXEC"}});
  const auto& exec = r.back();
  if (exec.type != REDIS_REPLY_ARRAY || exec.elements.size() != 4) {
    throw StateError("account state: forget: " +
                     (exec.type == REDIS_REPLY_ERROR ? exec.str : "transaction failed"));
  }
  return !decode_hash(exec.elements[0].elements, options_.now()).empty();
}

}  // namespace tusk::accounts
