// SHA-256 (OpenSSL's EVP interface behind a small class, so no OpenSSL type reaches a header):
// pack digests, evidence hashes.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace tusk::base {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // The digest as 64 lowercase hex digits; the object cannot be updated afterwards.
  std::string final_hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// HMAC-SHA-256 with `key` over the concatenation of `parts`: the 32 raw bytes. Authenticates
// artifact cache entries (artifact_cache.h).
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

// Fills `out` from the operating system's random source (OpenSSL's RAND_bytes); false if it
// could not.
bool random_bytes(unsigned char* out, std::size_t size);

}  // namespace tusk::base
