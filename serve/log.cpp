#include "serve/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "base/json_text.h"

namespace tusk::serve {

LogField raw_field(std::string_view key, std::string value) { return LogField{key, std::move(value), true}; }

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%06lldZ", static_cast<long long>(us % 1000000));
  return buf;
}

void log(std::string_view level, std::string_view msg, std::initializer_list<LogField> fields) {
  std::string line = "{\"time\":\"" + utc_now() + "\",\"level\":";
  base::append_json_string(line, level);
  line += ",\"msg\":";
  base::append_json_string(line, msg);
  for (const auto& f : fields) {
    line += ',';
    base::append_json_string(line, f.key);
    line += ':';
    if (f.raw) {
      line += f.value;
    } else {
      base::append_json_string(line, f.value);
    }
  }
  line += "}\n";
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tusk::serve
