#include "stdlib/language.h"

#include <string_view>

namespace tusk::stdlib {

const char* to_string(AccountAction a) {
  switch (a) {
    case AccountAction::kNone:
      return "none";
    case AccountAction::kWatch:
      return "watch";
    case AccountAction::kSuspend:
      return "suspend";
  }
  return "?";
}

long long window_unit_seconds(const char* unit) {
  const std::string_view u(unit);
  if (u == "second" || u == "seconds") return 1;
  if (u == "minute" || u == "minutes") return 60;
  if (u == "hour" || u == "hours") return 3600;
  if (u == "day" || u == "days") return 86400;
  return 0;
}

const char* to_string(Action a) {
  switch (a) {
    case Action::kAllow:
      return "allow";
    case Action::kReview:
      return "review";
    case Action::kBlock:
      return "block";
  }
  return "?";
}

}  // namespace tusk::stdlib
