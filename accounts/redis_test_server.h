// A throwaway redis-server for tests and benchmarks: 127.0.0.1, a free port, no persistence
// (--save "" --appendonly no), its own temporary directory; stopped (SIGTERM, then SIGKILL) and
// removed by the destructor. Not part of the library's interface.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace tusk::accounts::testing {

class RedisTestServer {
 public:
  // The redis-server binary, or empty when it is not installed ($TUSK_REDIS_SERVER overrides).
  static std::string binary() {
    if (const char* env = std::getenv("TUSK_REDIS_SERVER")) return env;
    for (const char* p : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
      if (::access(p, X_OK) == 0) return p;
    }
    return "";
  }

  // Starts the server and waits (at most 10 s) until it accepts connections; false on failure.
  bool start() {
    const auto bin = binary();
    if (bin.empty()) return false;
    char tmpl[] = "/tmp/tusk-redis-XXXXXX";
    if (!::mkdtemp(tmpl)) return false;
    dir_ = tmpl;
    port_ = free_port();
    pid_ = ::fork();
    if (pid_ == 0) {
      const auto port = std::to_string(port_);
      ::execl(bin.c_str(), bin.c_str(), "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "",
              "--appendonly", "no", "--dir", dir_.c_str(), "--daemonize", "no", "--loglevel", "warning",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (accepts()) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  ~RedisTestServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 250; ++i) {  // up to 5 s to exit, then SIGKILL
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  int port() const { return port_; }
  std::string url(int db = 0) const {
    return "redis://127.0.0.1:" + std::to_string(port_) + (db ? "/" + std::to_string(db) : "");
  }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    // Port 0 asks the kernel for a free one; 0 back means none could be had (start() then fails).
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    if (fd >= 0) ::close(fd);
    return ok ? ntohs(a.sin_port) : 0;
  }
  bool accepts() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tusk::accounts::testing
