#include "stdlib/language.h"

namespace tusk::stdlib {

const char* to_string(Action a) {
  switch (a) {
    case Action::kAllow: return "allow";
    case Action::kReview: return "review";
    case Action::kBlock: return "block";
  }
  return "?";
}

}  // namespace tusk::stdlib
