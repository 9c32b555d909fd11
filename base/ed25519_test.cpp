// Key generation, key ids and the RFC 8032 vector (base/signature.h; signature_test.cpp has the
// sign/verify cases of the evidence store).
#include "base/signature.h"

#include <gtest/gtest.h>

namespace tusk::base {
namespace {

// RFC 8032, section 7.1, TEST 1 (empty message), as PEM.
constexpr const char* kRfcPrivate =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END "
    "PRIVATE KEY-----\n";
constexpr const char* kRfcPublic =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END "
    "PUBLIC KEY-----\n";
constexpr const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0"
    "595bbe24655141438e7a100b";

std::string hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

TEST(Ed25519, Rfc8032Vector) {
  std::string error;
  const std::string sig = ed25519_sign(kRfcPrivate, "", error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(hex(sig), kRfcSignature);
  EXPECT_TRUE(ed25519_verify(kRfcPublic, "", sig, error));
  EXPECT_EQ(ed25519_public_pem(kRfcPrivate, error), kRfcPublic);
}

TEST(Ed25519, GeneratedKeysSignAndVerify) {
  Ed25519Keys keys;
  std::string error;
  ASSERT_TRUE(ed25519_generate(keys, error)) << error;
  EXPECT_NE(keys.private_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(keys.public_pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  const std::string sig = ed25519_sign(keys.private_pem, "manifest bytes", error);
  ASSERT_EQ(sig.size(), 64u) << error;
  EXPECT_TRUE(ed25519_verify(keys.public_pem, "manifest bytes", sig, error));
  EXPECT_FALSE(ed25519_verify(kRfcPublic, "manifest bytes", sig, error));
  EXPECT_EQ(error, "");  // a wrong signature is an answer, not an error
  EXPECT_FALSE(ed25519_verify(keys.public_pem, "manifest bytes", "short", error));
  Ed25519Keys other;
  ASSERT_TRUE(ed25519_generate(other, error));
  EXPECT_NE(other.private_pem, keys.private_pem);
}

TEST(Ed25519, KeyIds) {
  EXPECT_EQ(ed25519_key_id(kRfcPublic).size(), 16u);
  EXPECT_EQ(ed25519_key_id(kRfcPublic), ed25519_key_id(kRfcPublic));
  Ed25519Keys keys;
  std::string error;
  ASSERT_TRUE(ed25519_generate(keys, error));
  EXPECT_NE(ed25519_key_id(keys.public_pem), ed25519_key_id(kRfcPublic));
  EXPECT_EQ(ed25519_key_id("junk"), "");
  EXPECT_EQ(ed25519_key_id(kRfcPrivate), "");  // a private key is not a public key
}

}  // namespace
}  // namespace tusk::base
