// The reviewer accounts of the console: a file of `NAME HASH` lines, HASH being libsodium's
// crypto_pwhash_str (Argon2id) of the password. Written by `tusk review user add` (an operator
// command), read by `tusk serve --store ... --review-users FILE` (docs/review.md).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace tusk::serve {

// The shortest password `tusk review user add` accepts.
inline constexpr std::size_t kMinPasswordLength = 12;

// Initializes libsodium (idempotent); false when it cannot be.
bool sodium_ready();

// crypto_pwhash_str with the interactive limits (Argon2id, 64 MiB, 2 passes).
std::string hash_password(std::string_view password);
// Constant-time as libsodium makes it; false for a malformed hash.
bool verify_password(const std::string& hash, std::string_view password);

// Letters, digits, `.`, `_`, `-`, `@`; 1 to 64 characters.
bool valid_reviewer_name(std::string_view name);

// Name -> hash. Throws std::runtime_error naming the file and line for a malformed file.
std::map<std::string, std::string> read_users(const std::string& path);

// Adds NAME or replaces its password; writes the file anew (mode 0600) and returns true when
// the name was new. Throws std::runtime_error (bad name, short password, unwritable file).
bool add_user(const std::string& path, const std::string& name, std::string_view password);
// Removes NAME; false when it was not there.
bool remove_user(const std::string& path, const std::string& name);

}  // namespace tusk::serve
