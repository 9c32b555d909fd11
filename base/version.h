// Tusk's version as the build was configured with it; api/ exposes it as tusk::version().
#pragma once

namespace tusk::base {

// "MAJOR.MINOR.PATCH".
const char* version();

}  // namespace tusk::base
