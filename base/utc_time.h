// Times as text: RFC 3339 in UTC, as the logs, the stores and the console print them.
#pragma once

#include <cstdint>
#include <string>

namespace tusk::base {

// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_seconds(std::int64_t unix_seconds);

}  // namespace tusk::base
