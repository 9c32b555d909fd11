// Small pieces of HTTP and HTML for the reviewer console (serve/review_console.cpp): escaping,
// URL and form decoding, cookies, random tokens compared in constant time, and display helpers.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace tusk::serve {

std::string html(std::string_view s);  // escaped for HTML text and attribute values
std::string url_encode(std::string_view s);
std::string url_decode(std::string_view s);

using Params = std::map<std::string, std::string>;
Params parse_form(std::string_view s);  // application/x-www-form-urlencoded, or a query string

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

std::string random_token();                                   // 256 random bits, hex
bool same_token(const std::string& a, const std::string& b);  // constant time; "" is never a token

// A JSON object of string fields.
std::string json_text(std::initializer_list<std::pair<const char*, std::string>> fields);

// The listing's title for the queue, cut after `max` code points (never inside a character).
std::string record_title(const std::string& record, std::size_t max = 90);

}  // namespace tusk::serve
