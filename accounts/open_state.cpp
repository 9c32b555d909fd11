#include "accounts/open_state.h"

#include <string>

namespace tusk::accounts {

std::shared_ptr<StateStore> open_state(std::string_view spec, const StateOptions& options) {
  const std::string s(spec);
  if (s.empty()) throw StateError("--state: expected memory, a directory or redis://HOST[:PORT][/DB]");
  if (s == "memory") return make_memory_store(options.embedded);
  if (s.rfind("redis://", 0) == 0) return RedisStore::open(s, options.redis);
  if (s.rfind("dir:", 0) == 0) {
    if (s.size() == 4) throw StateError("--state dir:: no directory after 'dir:'");
    return open_embedded(s.substr(4), options.embedded);
  }
  // Anything else with a scheme is a mistake, not a directory called "rediss:".
  if (const auto colon = s.find("://"); colon != std::string::npos) {
    throw StateError("--state " + s + ": unknown scheme '" + s.substr(0, colon) +
                     "' (expected memory, a directory or redis://HOST[:PORT][/DB])");
  }
  return open_embedded(s, options.embedded);
}

}  // namespace tusk::accounts
