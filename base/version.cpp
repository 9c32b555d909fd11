#include "base/version.h"

namespace tusk::base {

const char* version() { return TUSK_VERSION; }

}  // namespace tusk::base
