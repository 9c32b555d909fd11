#include "serve/http_fetch.h"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <functional>
#include <optional>

#include "tusk/version.h"

namespace tusk::serve {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// One exchange on an already connected (and, for https, handshaken) stream. The stream's
// expiry, set once by the caller, bounds every step.
template <class Stream>
void send_get(Stream& stream, const Url& url, const FetchRequest& rq, FetchResponse& out,
              const std::function<void()>& done) {
  auto req = std::make_shared<http::request<http::empty_body>>(http::verb::get, url.target, 11);
  const bool default_port =
      (url.scheme == "http" && url.port == "80") || (url.scheme == "https" && url.port == "443");
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  req->set(http::field::host, default_port ? host : host + ":" + url.port);
  req->set(http::field::user_agent, "tusk/" + std::string(version()));
  req->set(http::field::accept, "application/gzip, application/octet-stream, */*");
  if (!rq.if_none_match.empty()) req->set(http::field::if_none_match, rq.if_none_match);
  if (!rq.if_modified_since.empty()) req->set(http::field::if_modified_since, rq.if_modified_since);
  http::async_write(stream, *req, [&stream, req, rq, &out, done](beast::error_code ec, std::size_t) {
    if (ec) {
      out.error = "sending the request: " + ec.message();
      return done();
    }
    auto buffer = std::make_shared<beast::flat_buffer>();
    auto parser = std::make_shared<http::response_parser<http::string_body>>();
    parser->body_limit(rq.max_bytes);
    parser->header_limit(64 << 10);
    http::async_read(stream, *buffer, *parser,
                     [buffer, parser, rq, &out, done](beast::error_code ec, std::size_t) {
                       if (ec == http::error::body_limit) {
                         out.error = fmt::format("the answer is larger than {} bytes", rq.max_bytes);
                       } else if (ec) {
                         out.error = "reading the answer: " + ec.message();
                       } else {
                         auto& res = parser->get();
                         out.status = static_cast<int>(res.result_int());
                         out.etag = std::string(res[http::field::etag]);
                         out.last_modified = std::string(res[http::field::last_modified]);
                         out.body = std::move(res.body());
                       }
                       done();
                     });
  });
}

}  // namespace

bool is_url(const std::string& text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

std::string parse_url(const std::string& text, Url& url) {
  std::string rest;
  if (text.rfind("http://", 0) == 0) {
    url.scheme = "http";
    rest = text.substr(7);
  } else if (text.rfind("https://", 0) == 0) {
    url.scheme = "https";
    rest = text.substr(8);
  } else {
    return "expected an http:// or https:// URL";
  }
  if (text.find('#') != std::string::npos) return "a URL with a fragment (#) is not accepted";
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return "the URL contains a space or a control character";
    }
  }
  const std::size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  url.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (url.target[0] == '?') url.target = "/" + url.target;
  if (authority.find('@') != std::string::npos) {
    return "user information (user:password@) in a URL is not accepted";
  }
  url.port = url.scheme == "https" ? "443" : "80";
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) return "an IPv6 address without its closing ]";
    url.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':' || after.size() == 1) return "expected :PORT after the IPv6 address";
      url.port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) url.port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return "the URL has no host";
  if (url.port.empty() || url.port.size() > 5 ||
      url.port.find_first_not_of("0123456789") != std::string::npos || std::stoul(url.port) == 0 ||
      std::stoul(url.port) > 65535) {
    return "the URL's port is not a number from 1 to 65535";
  }
  return "";
}

FetchResponse http_get(const FetchRequest& rq) {
  FetchResponse out;
  Url url;
  if (std::string e = parse_url(rq.url, url); !e.empty()) {
    out.error = e;
    return out;
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(rq.timeout_seconds * 1000));
  net::io_context ioc{1};
  tcp::resolver resolver(ioc);
  std::optional<ssl::context> ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  bool finished = false;
  auto done = [&] { finished = true; };

  if (url.scheme == "https") {
    ctx.emplace(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    if (rq.ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
    } else {
      ctx->load_verify_file(rq.ca_file, ec);
    }
    if (ec) {
      out.error = fmt::format("cannot load the CA certificates{}: {}",
                              rq.ca_file.empty() ? "" : " " + rq.ca_file, ec.message());
      return out;
    }
    ctx->set_verify_mode(ssl::verify_peer);
    secure.emplace(ioc, *ctx);
    secure->set_verify_callback(ssl::host_name_verification(url.host));
    // SNI, so that a server with several names presents the right certificate.
    if (!SSL_set_tlsext_host_name(secure->native_handle(), url.host.c_str())) {
      out.error = "cannot set the TLS server name";
      return out;
    }
    beast::get_lowest_layer(*secure).expires_after(timeout);
  } else {
    plain.emplace(ioc);
    plain->expires_after(timeout);
  }

  resolver.async_resolve(
      url.host, url.port, [&](beast::error_code ec, const tcp::resolver::results_type& results) {
        if (ec) {
          out.error = fmt::format("cannot resolve {}: {}", url.host, ec.message());
          return done();
        }
        beast::tcp_stream& tcp_layer = secure ? beast::get_lowest_layer(*secure) : *plain;
        tcp_layer.async_connect(results, [&](beast::error_code ec, const tcp::endpoint&) {
          if (ec) {
            out.error = fmt::format("cannot connect to {}:{}: {}", url.host, url.port, ec.message());
            return done();
          }
          if (!secure) return send_get(*plain, url, rq, out, done);
          secure->async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
            if (ec) {
              out.error = "TLS handshake: " + ec.message();
              return done();
            }
            send_get(*secure, url, rq, out, done);
          });
        });
      });
  // The streams' expiry bounds connect, write and read; this bounds name resolution too.
  ioc.run_for(timeout + std::chrono::seconds(1));
  if (!finished && out.error.empty()) out.error = "timed out";
  if (!finished) out.status = 0;
  return out;
}

}  // namespace tusk::serve
