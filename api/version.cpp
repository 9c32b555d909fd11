#include "tusk/version.h"

#include "base/version.h"

namespace tusk {

const char* version() { return base::version(); }

}  // namespace tusk
