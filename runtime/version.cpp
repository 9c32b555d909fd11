#include "tusk/version.h"

namespace tusk {

const char* version() { return TUSK_VERSION; }

}  // namespace tusk
