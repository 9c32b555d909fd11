// A bounded HTTP(S) GET for fetching pack bundles from a URL (`tusk serve --pack https://...`).
// Conditional requests (If-None-Match / If-Modified-Since) let a poller ask "has it changed?"
// for the price of a 304. Redirects are not followed: the configured URL is the one trusted.
#pragma once

#include <cstddef>
#include <string>

namespace tusk::serve {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for an IPv6 literal
  std::string port;    // "80" / "443" when not given
  std::string target;  // path and query, at least "/"
};

// Splits an http:// or https:// URL; returns "" on success, else what is wrong with it.
// User information (user:password@) and fragments are refused.
std::string parse_url(const std::string& text, Url& url);

bool is_url(const std::string& text);  // starts with http:// or https://

struct FetchRequest {
  std::string url;
  std::string if_none_match;      // an ETag from an earlier answer, or ""
  std::string if_modified_since;  // a Last-Modified from an earlier answer, or ""
  std::size_t max_bytes = 256u << 20;
  double timeout_seconds = 30;  // the whole exchange: resolve, connect, TLS, request, answer
  std::string ca_file;          // PEM CA bundle for https; "" = the system's trust store
};

struct FetchResponse {
  int status = 0;  // 0 when no answer came (then `error` says why)
  std::string body;
  std::string etag, last_modified;
  std::string error;
};

FetchResponse http_get(const FetchRequest& request);

}  // namespace tusk::serve
