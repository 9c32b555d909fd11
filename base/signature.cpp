#include "base/signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "base/sha256.h"

namespace tusk::base {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Key read_key(std::string_view pem, bool is_private, std::string& error) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    error = "out of memory";
    return nullptr;
  }
  Key key(is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                     : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    error = is_private ? "not a PEM private key" : "not a PEM public key";
    return nullptr;
  }
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
    error = "not an Ed25519 key";
    return nullptr;
  }
  return key;
}

}  // namespace

std::string ed25519_sign(std::string_view private_pem, std::string_view message, std::string& error) {
  Key key = read_key(private_pem, true, error);
  if (!key) return "";
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  std::size_t len = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    error = "signing failed";
    return "";
  }
  return std::string(reinterpret_cast<const char*>(sig), len);
}

std::string ed25519_public_pem(std::string_view private_pem, std::string& error) {
  Key key = read_key(private_pem, true, error);
  if (!key) return "";
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
    error = "cannot write the public key";
    return "";
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

bool ed25519_verify(std::string_view public_pem, std::string_view message, std::string_view signature,
                    std::string& error) {
  error.clear();
  Key key = read_key(public_pem, false, error);
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    error = "cannot verify with this key";
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

bool ed25519_generate(Ed25519Keys& keys, std::string& error) {
  struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
  };
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    error = "cannot generate an Ed25519 key";
    return false;
  }
  Key key(raw);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    error = "cannot write the private key";
    return false;
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  keys.private_pem.assign(data, static_cast<std::size_t>(n));
  keys.public_pem = ed25519_public_pem(keys.private_pem, error);
  return !keys.public_pem.empty();
}

std::string ed25519_key_id(std::string_view public_pem) {
  std::string error;
  Key key = read_key(public_pem, false, error);
  if (!key) return "";
  unsigned char raw[32];
  std::size_t size = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key.get(), raw, &size) != 1) return "";
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), size)).substr(0, 16);
}

}  // namespace tusk::base
