#include "serve/review_users.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tusk::serve {

bool sodium_ready() {
  static const bool kOk = sodium_init() >= 0;
  return kOk;
}

std::string hash_password(std::string_view password) {
  if (!sodium_ready()) throw std::runtime_error("libsodium could not be initialized");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing the password");
  }
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (!sodium_ready() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool valid_reviewer_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name) {
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@')) return false;
  }
  return true;
}

std::map<std::string, std::string> read_users(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("cannot read the reviewer accounts file {}", path));
  std::map<std::string, std::string> users;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    const std::string name = line.substr(0, space);
    const std::string hash = space == std::string::npos ? "" : line.substr(space + 1);
    if (!valid_reviewer_name(name) || hash.rfind("$argon2", 0) != 0 || hash.find(' ') != std::string::npos) {
      throw std::runtime_error(
          fmt::format("{}:{}: expected `NAME HASH` as written by `tusk review user add`", path, n));
    }
    users[name] = hash;
  }
  return users;
}

namespace {

void write_users(const std::string& path, const std::map<std::string, std::string>& users) {
  const std::string tmp = path + ".tmp";
  {
    const mode_t old = umask(077);
    std::ofstream out(tmp, std::ios::trunc);
    umask(old);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp));
    out << "# Reviewer accounts of the Tusk console: NAME crypto_pwhash_str(password). Edit with `tusk "
           "review user`.\n";
    for (const auto& [name, hash] : users) out << name << ' ' << hash << '\n';
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp));
  }
  ::chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error(fmt::format("cannot replace {}", path));
  }
}

std::map<std::string, std::string> read_if_exists(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return read_users(path);
}

}  // namespace

bool add_user(const std::string& path, const std::string& name, std::string_view password) {
  if (!valid_reviewer_name(name)) {
    throw std::runtime_error(
        fmt::format("reviewer name `{}`: use 1 to 64 letters, digits, `.`, `_`, `-` or `@`", name));
  }
  if (password.size() < kMinPasswordLength) {
    throw std::runtime_error(fmt::format("the password is shorter than {} characters", kMinPasswordLength));
  }
  auto users = read_if_exists(path);
  const bool is_new = users.find(name) == users.end();
  users[name] = hash_password(password);
  write_users(path, users);
  return is_new;
}

bool remove_user(const std::string& path, const std::string& name) {
  auto users = read_if_exists(path);
  if (!users.erase(name)) return false;
  write_users(path, users);
  return true;
}

}  // namespace tusk::serve
