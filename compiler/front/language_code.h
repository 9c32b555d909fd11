// pack.yaml `languages:` codes. Validated against ICU's ISO 639 list, as the runtime's text
// handling knows languages (the one place outside runtime/ that includes ICU: scripts/check-layering).
#pragma once

#include <string>

namespace tusk::compiler::front {

// An ISO 639 primary subtag ICU knows, in lower case (`en`, `zh`, `haw`), then optional subtags
// of 2 to 8 letters or digits (`zh-Hant`, `pt-BR`).
bool is_language_code(const std::string& code);

}  // namespace tusk::compiler::front
