// Structured logs: one JSON object per line on standard error, with a UTC timestamp, a level,
// a message and the event's fields.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tusk::serve {

// A field's value is written as a JSON string unless it is marked raw (numbers, booleans,
// objects already rendered).
struct LogField {
  std::string_view key;
  std::string value;
  bool raw = false;
};
LogField raw_field(std::string_view key, std::string value);

void log(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields = {});

// RFC 3339 UTC with microseconds: "2025-01-31T12:00:00.123456Z".
std::string utc_now();

}  // namespace tusk::serve
