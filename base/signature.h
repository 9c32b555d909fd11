// Ed25519 signatures (OpenSSL 3's EVP interface; no OpenSSL type reaches a header): evidence
// bundle manifests. Keys are PEM files as `openssl genpkey -algorithm ed25519` writes them.
#pragma once

#include <string>
#include <string_view>

namespace tusk::base {

// Signs `message` with the PEM private key `private_pem`. Returns the 64-byte signature, or ""
// with `error` set (not a PEM key, not an Ed25519 key).
std::string ed25519_sign(std::string_view private_pem, std::string_view message, std::string& error);

// The PEM public key ("-----BEGIN PUBLIC KEY-----") of a PEM Ed25519 private key, or "" with `error`.
std::string ed25519_public_pem(std::string_view private_pem, std::string& error);

// True when `signature` is a valid Ed25519 signature of `message` by the PEM public key. False
// with `error` empty for a wrong signature, with `error` set when the key cannot be read.
bool ed25519_verify(std::string_view public_pem, std::string_view message, std::string_view signature,
                    std::string& error);

}  // namespace tusk::base
