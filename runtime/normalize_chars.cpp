#include "runtime/normalize_chars.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/udata.h>
#include <unicode/ures.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <stdexcept>

namespace tusk::runtime::norm {
namespace {

// Explicit width folding, so that profiles state it even though NFKC covers it.
char32_t narrow(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  if (c == 0x3000) return U' ';
  switch (c) {
    case 0xFFE0:
      return 0xA2;
    case 0xFFE1:
      return 0xA3;
    case 0xFFE2:
      return 0xAC;
    case 0xFFE3:
      return 0xAF;
    case 0xFFE4:
      return 0xA6;
    case 0xFFE5:
      return 0xA5;
    case 0xFFE6:
      return 0x20A9;
    default:
      return c;
  }
}

// Letters with a stroke or bar rather than a combining mark, so NFD cannot strip them.
char32_t strip_stroke(char32_t c) {
  switch (c) {
    case 0x0111:
      return U'd';  // đ (Vietnamese)
    case 0x0110:
      return U'D';
    case 0x00F0:
      return U'd';  // ð
    case 0x0127:
      return U'h';  // ħ
    case 0x0142:
      return U'l';  // ł
    case 0x0141:
      return U'L';
    case 0x00F8:
      return U'o';  // ø
    case 0x00D8:
      return U'O';
    case 0x0131:
      return U'i';  // ı
    case 0x0167:
      return U't';  // ŧ
    case 0x0180:
      return U'b';  // ƀ
    case 0x019A:
      return U'l';  // ƚ
    case 0x0268:
      return U'i';  // ɨ
    case 0x0289:
      return U'u';  // ʉ
    default:
      return c;
  }
}

bool is_diacritic_base_script(UScriptCode s) {
  return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC;
}

// Scripts whose letters imitate Latin ones in evasions. Han, kana, Hangul etc. are left alone:
// their skeletons map to other CJK characters, not to Latin.
bool is_confusable_script(UScriptCode s) {
  return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC || s == USCRIPT_ARMENIAN ||
         s == USCRIPT_CHEROKEE || s == USCRIPT_COPTIC;
}

UScriptCode script_of(char32_t c) {
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &st);
  return U_SUCCESS(st) ? s : USCRIPT_UNKNOWN;
}

// The rules ICU's registry would compile for "Traditional-Simplified" (an alias of Hant-Hans,
// whose rules are Hans-Hant's read in reverse), read from the same place in ICU's data:
// translit/root, RuleBasedTransliteratorIDs/Hant-Hans/file. Asking for the transliterator by
// ID builds ICU's whole registry first (~1,000 IDs and aliases: 20-30 ms, most of a warm pack
// load's ICU time, measured in docs/performance.md); compiling these rules alone takes 4-8 ms.
// Empty if the data is laid out otherwise (another ICU version): then by ID, as before.
icu::UnicodeString hant_hans_rules(UTransDirection& direction) {
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeString rules;
  UResourceBundle* root = ures_openDirect(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "translit", "root", &st);
  UResourceBundle* ids = ures_getByKey(root, "RuleBasedTransliteratorIDs", nullptr, &st);
  UResourceBundle* entry = ures_getByKey(ids, "Hant-Hans", nullptr, &st);
  UResourceBundle* file = ures_getByKey(entry, "file", nullptr, &st);
  std::int32_t len = 0, dir_len = 0;
  const UChar* text = ures_getStringByKey(file, "resource", &len, &st);
  const UChar* dir = ures_getStringByKey(file, "direction", &dir_len, &st);
  if (U_SUCCESS(st) && len > 0) {
    const icu::UnicodeString d(dir, dir_len);
    if (d == u"FORWARD" || d == u"REVERSE") {
      direction = d == u"REVERSE" ? UTRANS_REVERSE : UTRANS_FORWARD;
      rules.setTo(text, len);
    }
  }
  for (UResourceBundle* r : {file, entry, ids, root}) {
    if (r != nullptr) ures_close(r);
  }
  return rules;
}

}  // namespace

SharedTransliterator& traditional_to_simplified() {
  static SharedTransliterator shared;
  static std::once_flag once;
  std::call_once(once, [] {
    UErrorCode st = U_ZERO_ERROR;
    UTransDirection direction = UTRANS_FORWARD;
    const icu::UnicodeString rules = hant_hans_rules(direction);
    if (!rules.isEmpty()) {
      UParseError where;
      shared.t.reset(icu::Transliterator::createFromRules("Tusk-Hant-Hans", rules, direction, where, st));
      if (U_FAILURE(st)) shared.t.reset();
    }
    if (!shared.t) {
      st = U_ZERO_ERROR;
      shared.t.reset(icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
      if (U_FAILURE(st)) {
        shared.t.reset();
        shared.error = u_errorName(st);
      }
    }
  });
  return shared;
}

CharSteps::CharSteps(const Profile& profile) : profile_(&profile), steps_(profile.steps) {
  UErrorCode st = U_ZERO_ERROR;
  const auto check = [&](std::string_view what) {
    if (U_FAILURE(st)) {
      throw std::runtime_error(fmt::format("normalization profile '{}': ICU failed {}: {}", profile_->name,
                                           what, u_errorName(st)));
    }
  };
  nfkc_ = icu::Normalizer2::getNFKCInstance(st);
  nfd_ = icu::Normalizer2::getNFDInstance(st);
  nfc_ = icu::Normalizer2::getNFCInstance(st);
  check("loading the NFKC/NFD/NFC data");
  if (steps_.has(Step::kTraditionalToSimplified)) {
    t2s_ = &traditional_to_simplified();
    if (!t2s_->t) {
      throw std::runtime_error(
          fmt::format("normalization profile '{}': ICU failed creating the "
                      "Traditional-Simplified transliterator: {}",
                      profile_->name, t2s_->error));
    }
  }
  if (steps_.has(Step::kConfusables)) {
    spoof_ = uspoof_open(&st);
    check("opening the confusables (UTS #39) data");
  }
  cache_.resize(std::size_t{1} << kCacheBits);
}

CharSteps::~CharSteps() {
  if (spoof_ != nullptr) uspoof_close(spoof_);
}

std::span<const char32_t> CharSteps::compute(std::span<const char32_t> segment) {
  us_.remove();
  for (char32_t c : segment) us_.append(static_cast<UChar32>(steps_.has(Step::kWidth) ? narrow(c) : c));
  if (steps_.has(Step::kNfkc)) apply(nfkc_);
  if (steps_.has(Step::kCaseFold)) {
    us_.foldCase(U_FOLD_CASE_DEFAULT);
    if (steps_.has(Step::kNfkc)) apply(nfkc_);
  }
  if (steps_.has(Step::kTraditionalToSimplified)) to_simplified();
  last_acted_ = 0;
  if (steps_.has(Step::kDiacritics)) {
    us3_ = us_;
    strip_diacritics();
    if (us_ != us3_) last_acted_ |= kActedDiacritics;
  }
  out_.clear();
  for (int32_t k = 0; k < us_.length();) {
    UChar32 c = us_.char32At(k);
    k += U16_LENGTH(c);
    out_.push_back(static_cast<char32_t>(c));
  }
  if (steps_.has(Step::kConfusables)) {
    for (char32_t& c : out_) {
      const char32_t k = skeleton_letter(c);
      if (k != c) last_acted_ |= kActedConfusables;
      c = k;
    }
  }
  acted_ |= last_acted_;
  return out_;
}

void CharSteps::apply(const icu::Normalizer2* n2) {
  UErrorCode st = U_ZERO_ERROR;
  us2_.remove();
  n2->normalize(us_, us2_, st);
  if (U_SUCCESS(st)) us_.swap(us2_);
}

// Per code point, so that a term and a text containing it convert the same way whatever
// surrounds them (the transliterator's few multi-character rules are given up for that).
void CharSteps::to_simplified() {
  us2_.remove();
  bool changed = false;
  for (int32_t k = 0; k < us_.length();) {
    UChar32 c = us_.char32At(k);
    k += U16_LENGTH(c);
    if (c < 0x2E80 || script_of(static_cast<char32_t>(c)) != USCRIPT_HAN) {
      us2_.append(c);
      continue;
    }
    auto it = t2s_cache_.find(static_cast<char32_t>(c));
    if (it == t2s_cache_.end()) {
      icu::UnicodeString one(c);
      {
        const std::lock_guard<std::mutex> lock(t2s_->mutex);
        t2s_->t->transliterate(one);
      }
      std::u32string conv;
      for (int32_t m = 0; m < one.length();) {
        UChar32 d = one.char32At(m);
        m += U16_LENGTH(d);
        conv.push_back(static_cast<char32_t>(d));
      }
      it = t2s_cache_.emplace(static_cast<char32_t>(c), std::move(conv)).first;
    }
    for (char32_t d : it->second) {
      us2_.append(static_cast<UChar32>(d));
      changed = changed || d != static_cast<char32_t>(c);
    }
  }
  if (changed) us_.swap(us2_);
}

// NFD, drop nonspacing marks that sit on Latin, Greek or Cyrillic letters, recompose. Marks
// on other scripts (Japanese dakuten, Thai vowels, Devanagari signs) carry letters, not
// accents, and stay.
void CharSteps::strip_diacritics() {
  UErrorCode st = U_ZERO_ERROR;
  us2_.remove();
  nfd_->normalize(us_, us2_, st);
  if (U_FAILURE(st)) return;
  us_.remove();
  bool strip_marks = false;
  for (int32_t k = 0; k < us2_.length();) {
    UChar32 c = us2_.char32At(k);
    k += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (!strip_marks) us_.append(c);
      continue;
    }
    strip_marks = c < 0x80 || is_diacritic_base_script(script_of(static_cast<char32_t>(c)));
    us_.append(static_cast<UChar32>(strip_stroke(static_cast<char32_t>(c))));
  }
  apply(steps_.has(Step::kNfkc) ? nfkc_ : nfc_);
}

// UTS #39 skeleton of one character, used only when it is a single ASCII letter: that maps
// Cyrillic "і" to "i" but never turns Latin "m" into "rn" (ASCII is not looked up at all).
char32_t CharSteps::skeleton_letter(char32_t c) {
  if (c < 0x80 || !is_confusable_script(script_of(c))) return c;
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeString one(static_cast<UChar32>(c));
  icu::UnicodeString sk;
  uspoof_getSkeletonUnicodeString(spoof_, 0, one, sk, &st);
  if (U_FAILURE(st)) return c;
  sk.foldCase(U_FOLD_CASE_DEFAULT);
  if (sk.length() == 1 && sk[0] >= u'a' && sk[0] <= u'z') return static_cast<char32_t>(sk[0]);
  return c;
}

}  // namespace tusk::runtime::norm
