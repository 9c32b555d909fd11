// same_result(): one profile's output reused for a nested profile must be exactly what that
// profile would have produced, text and offset map alike.
#include <gtest/gtest.h>

#include "runtime/test_corpus.h"

#include <random>
#include <string>
#include <vector>

#include "runtime/normalize.h"

namespace tusk::runtime {
namespace {

const Profile& profile(std::string_view name) {
  const Profile* p = find_profile(name);
  if (p == nullptr) throw std::runtime_error("no profile " + std::string(name));
  return *p;
}

// Honest text (where reuse should apply) mixed with everything the extra steps of nested
// profiles act on: accents, stroke letters, look-alikes, digits and symbols inside words.
const char* const kPieces[] = {
    "old", "bangle", "Carved", "for sale", "a", "b", "x", "1200", "kg", "USD", "$20", "出售", "手鐲", "象牙",
    "象 牙", "Bán", "đẹp", "giá rẻ", "ngà voi", "nga\u0300 voi", "kuuza", "Ivory", "IVORY", "i.v.o.r.y",
    "i v o r y", "1vory", "iv0ry", "\u0456v\u043Er\u0443", "ＩＶＯＲＹ", "i\u200Bvory", "i🐘v🐘o🐘r🐘y",
    "Straße", "e\u0301", "ø", "ł", "Ελλάδα", "кость", "ﬁ", "\xff", "!", ",", ".", "-", "@", "\n", "\t",
};
std::vector<std::string> corpus(std::uint32_t seed, int count) {
  return tusk::testing::random_texts(seed, count, kPieces, 10);
}

TEST(NormalizeReuse, SameResultMeansIdenticalOutput) {
  const auto inputs = corpus(23, 3000);
  std::size_t reused = 0, refused = 0;
  for (bool fast : {true, false}) {
    for (const Profile& from : profiles()) {
      Normalizer nf(from, {.ascii_fast_path = fast});
      for (const Profile& to : profiles()) {
        if (&from == &to) continue;
        Normalizer nt(to);
        NormalizedText a, b;
        for (const auto& s : inputs) {
          nf.normalize(s, a);
          if (!same_result(a, from, to)) {
            ++refused;
            continue;
          }
          ++reused;
          nt.normalize(s, b);
          const std::string where = std::string(from.name) + " -> " + std::string(to.name) + " [" + s + "]";
          ASSERT_EQ(a.text, b.text) << where;
          ASSERT_EQ(a.identity_map, b.identity_map) << where;
          ASSERT_EQ(a.orig_begin, b.orig_begin) << where;
          ASSERT_EQ(a.orig_end, b.orig_end) << where;
        }
      }
    }
  }
  // Both outcomes occur, so the comparison above covers real reuse.
  EXPECT_GT(reused, inputs.size());
  EXPECT_GT(refused, inputs.size());
}

TEST(NormalizeReuse, NestedProfilesReuseOnlyWhenTheExtraStepsFoundNothing) {
  const Profile& evasive = profile("evasive");
  const Profile& no_diacritics = profile("no_diacritics");
  const Profile& def = profile("default");
  Normalizer ne(evasive);
  Normalizer nn(no_diacritics);
  Normalizer nd(def);
  NormalizedText out;
  auto evasive_to_default = [&](std::string_view s) {
    ne.normalize(s, out);
    return same_result(out, evasive, def);
  };
  EXPECT_TRUE(evasive_to_default("old carved ivory bangle, 28 cm"));  // ASCII; 2 and 8 do not fold
  EXPECT_TRUE(evasive_to_default("精美 象牙 手鐲 for sale"));
  EXPECT_TRUE(evasive_to_default("Straße i.v.o.r.y"));
  EXPECT_FALSE(evasive_to_default("carved iv0ry"));               // digit folding acts
  EXPECT_FALSE(evasive_to_default("carved 1 v o r y"));           // a foldable in a spelled word
  EXPECT_FALSE(evasive_to_default("ngà voi"));                    // diacritics act
  EXPECT_FALSE(evasive_to_default("\u0456v\u043Er\u0443 bangle"));  // confusables act
  EXPECT_FALSE(evasive_to_default("ø"));                          // a stroke letter
  nn.normalize("ngà voi", out);
  EXPECT_FALSE(same_result(out, no_diacritics, def));
  nn.normalize("精美 象牙", out);
  EXPECT_TRUE(same_result(out, no_diacritics, def));
  // A profile with a step the source lacks never reuses it.
  nd.normalize("old ivory", out);
  EXPECT_FALSE(same_result(out, def, evasive));
}

}  // namespace
}  // namespace tusk::runtime
