// What `--state SPEC` names, opened: "memory", a directory (the embedded store) or
// redis://HOST[:PORT][/DB]. docs/accounts.md lists the forms.
#pragma once

#include <memory>
#include <string_view>

#include "accounts/embedded_store.h"
#include "accounts/redis_store.h"
#include "tusk/state.h"

namespace tusk::accounts {

struct StateOptions {
  EmbeddedOptions embedded;
  RedisOptions redis;
};

// "memory" -> make_memory_store; "redis://..." -> RedisStore; "dir:PATH" or any other
// non-empty string -> the embedded store in that directory. Throws StateError with a message
// that starts with "--state SPEC:" or "account state:".
std::shared_ptr<StateStore> open_state(std::string_view spec, const StateOptions& options = {});

}  // namespace tusk::accounts
