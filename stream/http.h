// The worker's side port: a small HTTP/1.1 listener (Boost.Beast) for GET /metrics and
// GET /healthz. Bind it to 127.0.0.1 unless a scraper elsewhere must reach it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace tusk::stream {

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class SideListener {
 public:
  using Handler = std::function<HttpResponse(std::string_view method, std::string_view target)>;
  SideListener();
  ~SideListener();
  // Binds HOST:PORT ([IPV6]:PORT; port 0 picks a free one) and serves on its own thread.
  // Returns an error message, or "".
  std::string start(const std::string& listen, Handler handler);
  unsigned short port() const;
  std::string address() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// {"error":{"code":...,"message":...}} and a newline.
std::string error_json(std::string_view code, std::string_view message);

}  // namespace tusk::stream
