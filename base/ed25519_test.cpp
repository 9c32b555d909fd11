#include "base/ed25519.h"

#include <gtest/gtest.h>

namespace tusk::base {
namespace {

// RFC 8032, section 7.1, TEST 1 (empty message), as PEM.
constexpr const char* kRfcPrivate =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
constexpr const char* kRfcPublic =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
constexpr const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

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
  std::string sig, error, pub;
  ASSERT_TRUE(ed25519_sign(kRfcPrivate, "", sig, error)) << error;
  EXPECT_EQ(hex(sig), kRfcSignature);
  EXPECT_EQ(ed25519_verify(kRfcPublic, "", sig, error), SignatureCheck::kValid);
  ASSERT_TRUE(ed25519_public_of(kRfcPrivate, pub, error)) << error;
  EXPECT_EQ(pub, kRfcPublic);
}

TEST(Ed25519, GeneratedKeysSignAndVerify) {
  Ed25519Keys keys;
  std::string error, sig;
  ASSERT_TRUE(ed25519_generate(keys, error)) << error;
  EXPECT_NE(keys.private_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(keys.public_pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  ASSERT_TRUE(ed25519_sign(keys.private_pem, "manifest bytes", sig, error)) << error;
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_EQ(ed25519_verify(keys.public_pem, "manifest bytes", sig, error), SignatureCheck::kValid);
  // Another message, a flipped signature bit, another key: all invalid.
  EXPECT_EQ(ed25519_verify(keys.public_pem, "manifest bytez", sig, error), SignatureCheck::kInvalid);
  std::string flipped = sig;
  flipped[10] ^= 1;
  EXPECT_EQ(ed25519_verify(keys.public_pem, "manifest bytes", flipped, error), SignatureCheck::kInvalid);
  EXPECT_EQ(ed25519_verify(kRfcPublic, "manifest bytes", sig, error), SignatureCheck::kInvalid);
  EXPECT_EQ(ed25519_verify(keys.public_pem, "manifest bytes", "short", error), SignatureCheck::kInvalid);
  EXPECT_EQ(ed25519_key_id(keys.public_pem).size(), 16u);
  EXPECT_NE(ed25519_key_id(keys.public_pem), ed25519_key_id(kRfcPublic));
}

TEST(Ed25519, BadKeysAreReported) {
  std::string error, sig;
  EXPECT_FALSE(ed25519_sign("not a key", "m", sig, error));
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_EQ(ed25519_verify("not a key", "m", std::string(64, 'x'), error), SignatureCheck::kBadKey);
  EXPECT_FALSE(error.empty());
  // A public key where a private one is expected.
  EXPECT_FALSE(ed25519_sign(kRfcPublic, "m", sig, error));
  EXPECT_EQ(ed25519_key_id("junk"), "");
}

}  // namespace
}  // namespace tusk::base
