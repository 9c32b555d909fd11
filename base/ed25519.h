// Ed25519 signatures (OpenSSL 3's EVP interface behind plain functions, so no OpenSSL type
// reaches a header): the detached signature of a pack bundle's manifest (docs/bundles.md).
// Keys are PEM text as `openssl genpkey -algorithm ed25519` writes them: the private key as
// PKCS#8 ("BEGIN PRIVATE KEY"), the public key as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
#pragma once

#include <string>
#include <string_view>

namespace tusk::base {

struct Ed25519Keys {
  std::string private_pem;
  std::string public_pem;
};

// A fresh key pair from OpenSSL's CSPRNG. False (with `error`) only when OpenSSL fails.
bool ed25519_generate(Ed25519Keys& keys, std::string& error);

// The 64-byte signature of `message`. False with `error` when `private_pem` is not an Ed25519
// private key.
bool ed25519_sign(std::string_view private_pem, std::string_view message, std::string& signature, std::string& error);

// The public key (PEM) of a private key (PEM).
bool ed25519_public_of(std::string_view private_pem, std::string& public_pem, std::string& error);

enum class SignatureCheck { kValid, kInvalid, kBadKey };
// Whether `signature` is a valid Ed25519 signature of `message` under `public_pem`. kBadKey
// (with `error`) when the key cannot be read or is not Ed25519.
SignatureCheck ed25519_verify(std::string_view public_pem, std::string_view message, std::string_view signature,
                              std::string& error);

// A short, stable name for a public key: the first 16 hex digits of SHA-256 of its 32 raw
// bytes. Empty when the key cannot be read.
std::string ed25519_key_id(std::string_view public_pem);

}  // namespace tusk::base
