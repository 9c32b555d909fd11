// Ed25519 signatures (OpenSSL 3's EVP interface; no OpenSSL type reaches a header): evidence
// and pack bundle manifests. Keys are PEM files as `openssl genpkey -algorithm ed25519` writes them.
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

// Key pairs for signing (`tusk bundle keygen`): a fresh Ed25519 key from OpenSSL's CSPRNG as
// PEM, the private key PKCS#8 ("BEGIN PRIVATE KEY"), the public key SubjectPublicKeyInfo.
struct Ed25519Keys {
  std::string private_pem;
  std::string public_pem;
};
// False with `error` only when OpenSSL fails.
bool ed25519_generate(Ed25519Keys& keys, std::string& error);

// A short, stable name for a public key (PEM): the first 16 hex digits of SHA-256 of its 32 raw
// bytes. "" when the key cannot be read.
std::string ed25519_key_id(std::string_view public_pem);

}  // namespace tusk::base
