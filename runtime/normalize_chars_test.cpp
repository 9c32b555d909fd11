#include "runtime/normalize_chars.h"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/uscript.h>

#include <memory>

#include "runtime/normalize.h"

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

}  // namespace
}  // namespace tusk::runtime
