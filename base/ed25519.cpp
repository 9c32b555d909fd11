#include "base/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "base/sha256.h"

namespace tusk::base {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

// OpenSSL's queued errors as one line; the queue is emptied.
std::string openssl_error(const char* what) {
  std::string out = what;
  char buf[256];
  bool first = true;
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    out += first ? ": " : "; ";
    out += buf;
    first = false;
  }
  return out;
}

Pkey read_key(std::string_view pem, bool is_private, std::string& error) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    error = openssl_error("out of memory");
    return nullptr;
  }
  Pkey key(is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                      : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    error = openssl_error(is_private ? "not a PEM private key" : "not a PEM public key");
    return nullptr;
  }
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    error = is_private ? "the private key is not an Ed25519 key" : "the public key is not an Ed25519 key";
    return nullptr;
  }
  return key;
}

std::string write_key(EVP_PKEY* key, bool is_private) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  const int ok = is_private ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                            : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) return {};
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

bool ed25519_generate(Ed25519Keys& keys, std::string& error) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    error = openssl_error("cannot generate an Ed25519 key");
    return false;
  }
  Pkey key(raw);
  keys.private_pem = write_key(key.get(), true);
  keys.public_pem = write_key(key.get(), false);
  if (keys.private_pem.empty() || keys.public_pem.empty()) {
    error = openssl_error("cannot write the key as PEM");
    return false;
  }
  return true;
}

bool ed25519_sign(std::string_view private_pem, std::string_view message, std::string& signature, std::string& error) {
  Pkey key = read_key(private_pem, true, error);
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  // Ed25519 is one-shot (PureEdDSA): no digest, the whole message at once.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    error = openssl_error("cannot sign");
    return false;
  }
  signature.assign(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    error = openssl_error("cannot sign");
    return false;
  }
  signature.resize(size);
  return true;
}

bool ed25519_public_of(std::string_view private_pem, std::string& public_pem, std::string& error) {
  Pkey key = read_key(private_pem, true, error);
  if (!key) return false;
  public_pem = write_key(key.get(), false);
  if (public_pem.empty()) {
    error = openssl_error("cannot write the public key");
    return false;
  }
  return true;
}

SignatureCheck ed25519_verify(std::string_view public_pem, std::string_view message, std::string_view signature,
                              std::string& error) {
  Pkey key = read_key(public_pem, false, error);
  if (!key) return SignatureCheck::kBadKey;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    error = openssl_error("cannot verify");
    return SignatureCheck::kBadKey;
  }
  const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                  reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();  // a bad signature leaves an error on the queue; it is an answer, not a failure
  return ok == 1 ? SignatureCheck::kValid : SignatureCheck::kInvalid;
}

std::string ed25519_key_id(std::string_view public_pem) {
  std::string error;
  Pkey key = read_key(public_pem, false, error);
  if (!key) {
    ERR_clear_error();
    return {};
  }
  unsigned char raw[32];
  std::size_t size = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key.get(), raw, &size) != 1) return {};
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), size)).substr(0, 16);
}

}  // namespace tusk::base
