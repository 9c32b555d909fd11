// The console's stylesheet and script, served from /review/static/ (the Content-Security-Policy
// allows nothing else: no inline script or style, nothing from outside).
#pragma once

#include <string_view>

namespace tusk::serve {

extern const std::string_view kConsoleCss;
extern const std::string_view kConsoleJs;

}  // namespace tusk::serve
