#include "base/signature.h"

#include <gtest/gtest.h>

namespace tusk::base {
namespace {

// Throwaway test keys (openssl genpkey -algorithm ed25519); they sign nothing real.
constexpr const char* kKey1 =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKZsunp9/w+UFflded1mCus1LauOHTaz68BohyJOTNwa\n-----END "
    "PRIVATE KEY-----\n";
constexpr const char* kKey2 =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJl1SWQ1HMF/giB/ba22HvwcLtle3LWsz/oLqaOGtxNV\n-----END "
    "PRIVATE KEY-----\n";
constexpr const char* kKey2Public =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA+KMcBRiA9iYHOGz8kqB9WUlILDP5C/nOjjlYRGs3ZgM=\n-----END "
    "PUBLIC KEY-----\n";

TEST(Ed25519, SignsAndVerifies) {
  std::string error;
  const std::string sig = ed25519_sign(kKey2, "manifest bytes", error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_EQ(ed25519_public_pem(kKey2, error), kKey2Public);
  EXPECT_TRUE(ed25519_verify(kKey2Public, "manifest bytes", sig, error));
  EXPECT_EQ(error, "");
}

TEST(Ed25519, RejectsAChangedMessageSignatureOrKey) {
  std::string error;
  std::string sig = ed25519_sign(kKey2, "manifest bytes", error);
  EXPECT_FALSE(ed25519_verify(kKey2Public, "manifest bytez", sig, error));
  EXPECT_EQ(error, "");
  const std::string other_public = ed25519_public_pem(kKey1, error);
  EXPECT_FALSE(ed25519_verify(other_public, "manifest bytes", sig, error));
  sig[10] ^= 1;
  EXPECT_FALSE(ed25519_verify(kKey2Public, "manifest bytes", sig, error));
}

TEST(Ed25519, BadKeysAreErrors) {
  std::string error;
  EXPECT_EQ(ed25519_sign("not a key", "m", error), "");
  EXPECT_EQ(error, "not a PEM private key");
  EXPECT_FALSE(ed25519_verify("nope", "m", std::string(64, 'x'), error));
  EXPECT_EQ(error, "not a PEM public key");
}

}  // namespace
}  // namespace tusk::base
