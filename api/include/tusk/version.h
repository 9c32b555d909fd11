// Tusk's version, for embedders that want to log which engine decided.
#pragma once

namespace tusk {

// "MAJOR.MINOR.PATCH" of the library linked in.
const char* version();

}  // namespace tusk
