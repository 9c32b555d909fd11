// Strict RFC 3339 date-times (`2026-01-01T10:00:00Z`, `2026-01-01T11:00:00.5+01:00`) to Unix
// seconds: the time of a listing for account state (docs/accounts.md, "Semantics").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tusk::runtime {

// Whole seconds since the Unix epoch (a fraction is dropped), or nothing when `text` is not
// exactly an RFC 3339 date-time: a date alone, a missing offset, day 31 of April, hour 24 or
// trailing text are all refused. A leap second (:60) reads as :59.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace tusk::runtime
