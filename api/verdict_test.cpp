// Verdict JSON: the pack's part of the line is cached per thread (api/verdict.cpp); a verdict of
// another pack, or of a pack differing in any one of its three strings, must name its own.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "tusk/verdict.h"

namespace tusk {
namespace {

Verdict allow(const std::string& name, const std::string& version, const std::string& digest) {
  Verdict v;
  v.ok = true;
  v.id = "a1";
  v.action = Action::kAllow;
  v.pack = {name, version, digest};
  return v;
}

std::string pack_part(const std::string& json) { return json.substr(json.find(R"("pack":)")); }

TEST(VerdictJson, EachVerdictNamesItsOwnPackWhateverTheThreadWroteBefore) {
  const std::string d1(64, 'a'), d2(64, 'b');
  const std::string expected_1 = R"("pack":{"name":"p","version":"1.0.0","digest":")" + d1 + R"("}})";
  // Each case differs from the one before it in one string only.
  EXPECT_EQ(pack_part(to_json(allow("p", "1.0.0", d1))), expected_1);
  EXPECT_EQ(pack_part(to_json(allow("p", "1.0.0", d2))),
            R"("pack":{"name":"p","version":"1.0.0","digest":")" + d2 + R"("}})");
  EXPECT_EQ(pack_part(to_json(allow("p", "1.0.1", d2))),
            R"("pack":{"name":"p","version":"1.0.1","digest":")" + d2 + R"("}})");
  EXPECT_EQ(pack_part(to_json(allow("q", "1.0.1", d2))),
            R"("pack":{"name":"q","version":"1.0.1","digest":")" + d2 + R"("}})");
  EXPECT_EQ(pack_part(to_json(allow("p", "1.0.0", d1))), expected_1);
}

TEST(VerdictJson, PackStringsAreEscaped) {
  EXPECT_EQ(pack_part(to_json(allow("a\"b", "1\\2", "\n"))),
            R"("pack":{"name":"a\"b","version":"1\\2","digest":"\n"}})");
  // An empty pack (a Verdict filled by hand), first on a thread whose cache is still empty, is
  // written too, not taken for what the empty cache holds.
  std::string first, second;
  std::thread([&] {
    first = to_json(allow("", "", ""));
    second = to_json(allow("", "", ""));
  }).join();
  EXPECT_EQ(pack_part(first), R"("pack":{"name":"","version":"","digest":""}})");
  EXPECT_EQ(pack_part(second), R"("pack":{"name":"","version":"","digest":""}})");
}

TEST(VerdictJson, TheWholeLineOfAnAllowVerdict) {
  EXPECT_EQ(to_json(allow("p", "1", "d")),
            R"({"id":"a1","action":"allow","score":0,"fired":[],"tags":[],"suggestions":[],"message":"",)"
            R"("pack":{"name":"p","version":"1","digest":"d"}})");
}

TEST(VerdictJson, TagsSuggestionsAndMessageEachWrittenWhenAloneGiven) {
  const std::string head = R"({"id":"a1","action":"allow","score":0,"fired":[],)";
  const std::string pack = R"(,"pack":{"name":"p","version":"1","digest":"d"}})";
  Verdict v = allow("p", "1", "d");
  v.tags = {"t"};
  EXPECT_EQ(to_json(v), head + R"("tags":["t"],"suggestions":[],"message":"")" + pack);
  v = allow("p", "1", "d");
  v.suggestions.push_back({"tagua", "en", "Try tagua nut."});
  EXPECT_EQ(
      to_json(v),
      head +
          R"("tags":[],"suggestions":[{"name":"tagua","lang":"en","text":"Try tagua nut."}],"message":"")" +
          pack);
  v = allow("p", "1", "d");
  v.message = "m";
  EXPECT_EQ(to_json(v), head + R"("tags":[],"suggestions":[],"message":"m")" + pack);
}

}  // namespace
}  // namespace tusk
