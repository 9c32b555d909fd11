#include "runtime/normalize_chars.h"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "runtime/normalize.h"
#include "runtime/normalize_context.h"

namespace tusk::runtime {
namespace {

// The Traditional-to-Simplified step compiles ICU's Hant-Hans rules itself instead of asking
// ICU's registry by ID (runtime/normalize_chars.cpp): both must convert every Han code point
// alike, or this ICU's data is laid out otherwise than that code reads it.
TEST(TraditionalToSimplified, SameAsIcusByIdOnEveryHanCodePoint) {
  norm::SharedTransliterator& shared = norm::traditional_to_simplified();
  ASSERT_TRUE(shared.t) << shared.error;
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> by_id(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
  ASSERT_TRUE(U_SUCCESS(st)) << u_errorName(st);
  int changed = 0;
  for (UChar32 c = 0x2E80; c < 0x32000; ++c) {
    UErrorCode sc = U_ZERO_ERROR;
    if (uscript_getScript(c, &sc) != USCRIPT_HAN) continue;
    icu::UnicodeString ours(c), theirs(c);
    shared.t->transliterate(ours);
    by_id->transliterate(theirs);
    ASSERT_EQ(ours, theirs) << "U+" << std::hex << c;
    changed += theirs != icu::UnicodeString(c);
  }
  EXPECT_GT(changed, 2000);  // ICU 72 converts 2,855 of them
  Normalizer n(*find_profile("default"));
  EXPECT_EQ(n.normalize_term("象牙製品 頭髮"), "象牙制品 头发");
}

// The invisible characters dropped between letters, over every code point: exactly the soft
// hyphen, the combining grapheme joiner, the Mongolian vowel separator, the zero-width and
// directional formatting characters, the word joiner and invisible operators, and the BOM.
TEST(Invisible, ExactlyTheFormatCharactersListed) {
  std::vector<char32_t> want = {0xAD, 0x34F, 0x180E, 0xFEFF};
  for (char32_t c = 0x200B; c <= 0x200F; ++c) want.push_back(c);
  for (char32_t c = 0x202A; c <= 0x202E; ++c) want.push_back(c);
  for (char32_t c = 0x2060; c <= 0x2064; ++c) want.push_back(c);
  std::sort(want.begin(), want.end());
  std::vector<char32_t> got;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (norm::is_invisible(c)) got.push_back(c);
  }
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace tusk::runtime
