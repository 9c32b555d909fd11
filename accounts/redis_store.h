// The Redis account-state store: several workers (processes or machines) share state through
// one Redis server. Each read() and each apply() is one pipelined round trip; apply() runs one
// Lua script, so a batch is atomic and concurrent workers never lose an increment.
// docs/accounts.md has the key layout and the TTL rules.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "accounts/embedded_store.h"
#include "tusk/state.h"

struct redisContext;

namespace tusk::accounts {

struct RedisOptions {
  std::chrono::milliseconds timeout{2000};  // connect and each reply
  Clock now;                                // default: the system clock
};

struct RedisAddress {
  std::string host;
  int port = 6379;
  int db = 0;
};
// "redis://HOST[:PORT][/DB]"; throws StateError with the reason.
RedisAddress parse_redis_url(std::string_view url);

class RedisStore final : public StateStore {
 public:
  // Connects and loads the apply script. Throws StateError.
  static std::shared_ptr<RedisStore> open(std::string_view url, RedisOptions options = {});
  RedisStore(RedisAddress address, RedisOptions options);
  ~RedisStore() override;

  std::vector<EntityState> read(const std::vector<EntityKey>& keys) override;
  void apply(const std::vector<StateUpdate>& updates) override;
  std::vector<EntityKey> list(const std::string& space, const std::string& entity, const std::string& after,
                              std::size_t limit) override;
  bool forget(const EntityKey& key) override;
  std::string describe() const override;

  // Requests sent to Redis so far, one per pipelined round trip (connecting and loading the
  // script count too): the benchmark and the tests divide it by listings.
  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

  struct Reply;  // one reply, owned (redis_store.cpp)

 private:
  // Sends every command at once and reads every reply: one round trip. Reconnects once when
  // the connection was lost before; throws StateError.
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands);
  void connect_locked();

  RedisAddress address_;
  RedisOptions options_;
  std::mutex mu_;  // one connection; a worker's scanners take turns on it
  redisContext* ctx_ = nullptr;
  std::string script_sha_;
  std::atomic<std::uint64_t> round_trips_{0};
};

}  // namespace tusk::accounts
