#include "stream/http.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <pthread.h>

#include <chrono>
#include <optional>
#include <thread>

#include "base/json_text.h"

namespace tusk::stream {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

std::string error_json(std::string_view code, std::string_view message) {
  std::string out = "{\"error\":{\"code\":";
  base::append_json_string(out, code);
  out += ",\"message\":";
  base::append_json_string(out, message);
  out += "}}\n";
  return out;
}

namespace {

// One connection: requests are answered in turn until the client closes or idles 5 s.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const SideListener::Handler& handler)
      : stream_(std::move(socket)), handler_(handler) {}
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(5));
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->answer();
                     });
  }

 private:
  void answer() {
    HttpResponse r;
    try {
      r = handler_(std::string_view(request_.method_string()), std::string_view(request_.target()));
    } catch (const std::exception& e) {
      r = HttpResponse{500, "application/json", error_json("internal", e.what())};
    }
    response_ = {};
    response_.version(request_.version());
    response_.result(r.status);
    response_.set(http::field::content_type, r.content_type);
    response_.body() = std::move(r.body);
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(5));
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{8192};
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  const SideListener::Handler& handler_;
};

}  // namespace

struct SideListener::Impl {
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  Handler handler;
  std::thread thread;
  tcp::endpoint bound;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted) return;
      } else {
        std::make_shared<Session>(std::move(socket), handler)->read();
      }
      accept();
    });
  }
};

SideListener::SideListener() : impl_(std::make_unique<Impl>()) {}
SideListener::~SideListener() { stop(); }

std::string SideListener::start(const std::string& listen, Handler handler) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return fmt::format("bad address `{}`: expected HOST:PORT", listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port > 65535) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    return fmt::format("bad port in `{}`", listen);
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return fmt::format("bad address `{}`: {}", host, ec.message());
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl_->handler = std::move(handler);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fmt::format("cannot listen on {}: {}", listen, ec.message());
  impl_->bound = impl_->acceptor.local_endpoint();
  impl_->accept();
  impl_->thread = std::thread([this] {
    // Named, so that `top -H` and the stream bench's per-thread CPU tell it from the worker's
    // consuming thread (15 characters at most on Linux).
    pthread_setname_np(pthread_self(), "tusk-side-port");
    impl_->ioc.run();
  });
  return "";
}

unsigned short SideListener::port() const { return impl_->bound.port(); }
std::string SideListener::address() const { return impl_->bound.address().to_string(); }

void SideListener::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->ioc.stop();
  impl_->thread.join();
}

}  // namespace tusk::stream
