// JSON-RPC 2.0 messages with the LSP base protocol's framing: a `Content-Length: N` header,
// an empty line, then N bytes of UTF-8 JSON.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace tusk::lsp {

// Reads one framed message body. nullopt at end of input or on a malformed header (the
// stream cannot be resynchronized then, so the server stops).
std::optional<std::string> read_message(std::istream& in);
// Writes one framed message and flushes.
void write_message(std::ostream& out, const std::string& body);

}  // namespace tusk::lsp
