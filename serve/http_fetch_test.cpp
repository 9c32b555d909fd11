#include "serve/http_fetch.h"

#include <gtest/gtest.h>

namespace tusk::serve {
namespace {

TEST(ParseUrl, SplitsSchemeHostPortAndTarget) {
  Url u;
  ASSERT_EQ(parse_url("https://packs.example.org/wildlife/current.tusk.tar.gz?v=2", u), "");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "packs.example.org");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/wildlife/current.tusk.tar.gz?v=2");
  ASSERT_EQ(parse_url("http://127.0.0.1:8081", u), "");
  EXPECT_EQ(u.port, "8081");
  EXPECT_EQ(u.target, "/");
  ASSERT_EQ(parse_url("http://[::1]:9000/b.tgz", u), "");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "9000");
  ASSERT_EQ(parse_url("http://host?q", u), "");
  EXPECT_EQ(u.target, "/?q");
}

TEST(ParseUrl, RefusesWhatIsNotAPlainHttpUrl) {
  Url u;
  EXPECT_NE(parse_url("ftp://host/x", u), "");
  EXPECT_NE(parse_url("/srv/packs/x.tusk.tar.gz", u), "");
  EXPECT_NE(parse_url("https://user:secret@host/x", u), "");  // credentials do not belong in a flag
  EXPECT_NE(parse_url("https://host/x#frag", u), "");
  EXPECT_NE(parse_url("https://host/a b", u), "");
  EXPECT_NE(parse_url("https:///x", u), "");
  EXPECT_NE(parse_url("https://host:0/x", u), "");
  EXPECT_NE(parse_url("https://host:65536/x", u), "");
  EXPECT_NE(parse_url("https://host:12ab/x", u), "");
  EXPECT_NE(parse_url("http://[::1/x", u), "");
}

TEST(HttpGet, ReportsAnUnreachableServerWithoutAStatus) {
  // Port 1 on loopback: nothing listens there (connection refused), and nothing leaves the machine.
  FetchRequest rq;
  rq.url = "http://127.0.0.1:1/x";
  rq.timeout_seconds = 5;
  const FetchResponse r = http_get(rq);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("cannot connect"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace tusk::serve
