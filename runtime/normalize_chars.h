// The character steps of normalization (runtime/normalize.h) on one segment at a time: width,
// NFKC, case folding, Traditional-to-Simplified, diacritics and confusables, through ICU.
// A segment is a starter and the characters that may combine with it; normalize.cpp cuts the
// text into segments and maps every output code point back to its segment's bytes. Internal to
// runtime/normalize.cpp; not part of the API.
#pragma once

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/normalize.h"

namespace tusk::runtime::norm {

// One Traditional-to-Simplified transliterator for the process, built from ICU's own rules on first
// use (normalize_chars.cpp says why), used under its mutex: a rule-based transliterator with data
// of its own may not be used by two threads at once, and CharSteps asks it only on a miss in
// its own cache.
struct SharedTransliterator {
  std::mutex mutex;
  std::unique_ptr<icu::Transliterator> t;
  std::string error;  // why it could not be made ("" when `t` is set)
};
SharedTransliterator& traditional_to_simplified();

class CharSteps {
 public:
  // Bits of acted(): which optional steps changed something, for NormalizedText::inert.
  static constexpr std::uint8_t kActedDiacritics = 1, kActedConfusables = 2;

  // Loads the ICU data the profile's steps need; throws std::runtime_error naming the profile
  // when ICU cannot.
  explicit CharSteps(const Profile& profile);
  ~CharSteps();
  CharSteps(const CharSteps&) = delete;
  CharSteps& operator=(const CharSteps&) = delete;

  // The steps on one segment; the result is valid until the next call. ICU failures leave the
  // text as it was: a step that cannot run must not lose the listing. One-code-point segments,
  // most of any text, are answered from a cache.
  [[gnu::always_inline]] std::span<const char32_t> run(std::span<const char32_t> segment) {
    if (segment.size() != 1) return compute(segment);
    const char32_t c = segment[0];
    Entry& entry = cache_[slot(c)];
    if (entry.key != c) {
      const std::span<const char32_t> out = compute(segment);
      if (out.size() > Entry::kMaxOut) return out;  // too long to keep (rare)
      entry.key = c;
      entry.n = static_cast<std::uint8_t>(out.size());
      entry.acted = last_acted_;
      std::copy(out.begin(), out.end(), entry.out);
    }
    acted_ |= entry.acted;
    return {entry.out, entry.n};
  }

  // Whether `c` starts a new segment (NFKC's boundary, whatever the profile). Asked for every
  // non-ASCII character that follows another (all of CJK text): cached, as ICU's answer cost
  // ~35 instructions and a call.
  bool boundary_before(char32_t c) const {
    std::uint32_t& entry = boundary_cache_[slot(c) & (kBoundaryCacheSize - 1)];
    if ((entry >> 1) != static_cast<std::uint32_t>(c)) {
      entry =
          static_cast<std::uint32_t>(c) << 1 | (nfkc_->hasBoundaryBefore(static_cast<UChar32>(c)) ? 1u : 0u);
    }
    return (entry & 1u) != 0;
  }

  // kActed* bits of every segment since the last reset_acted(); add_acted() for a caller that
  // answered a segment from a cache of its own.
  std::uint8_t acted() const { return acted_; }
  void reset_acted() { acted_ = 0; }
  void add_acted(std::uint8_t bits) { acted_ |= bits; }

 private:
  // Direct-mapped cache of single-code-point segments: most non-ASCII text repeats a small set
  // of characters, and one ICU round trip per character would dominate the cost.
  struct Entry {
    static constexpr int kMaxOut = 3;
    char32_t key = 0xFFFFFFFF;
    std::uint8_t n = 0;
    std::uint8_t acted = 0;  // kActed* of the segment
    char32_t out[kMaxOut] = {};
  };
  static constexpr int kCacheBits = 12;
  static std::size_t slot(char32_t c) {
    return (static_cast<std::uint32_t>(c) * 2654435761u) >> (32 - kCacheBits);
  }

  std::span<const char32_t> compute(std::span<const char32_t> segment);
  void apply(const icu::Normalizer2* n2);
  void to_simplified();
  void strip_diacritics();
  char32_t skeleton_letter(char32_t c);

  const Profile* profile_;
  StepSet steps_;
  const icu::Normalizer2* nfkc_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;
  SharedTransliterator* t2s_ = nullptr;  // process-wide (see traditional_to_simplified())
  USpoofChecker* spoof_ = nullptr;

  std::vector<Entry> cache_;
  // boundary_before()'s answers: code point << 1 | answer; the initial value is no code point's.
  static constexpr std::size_t kBoundaryCacheSize = 1024;
  mutable std::vector<std::uint32_t> boundary_cache_ = std::vector<std::uint32_t>(kBoundaryCacheSize, ~0u);
  std::unordered_map<char32_t, std::u32string> t2s_cache_;
  std::uint8_t acted_ = 0;
  std::uint8_t last_acted_ = 0;  // compute()'s, for the cache

  // Scratch, reused across calls.
  std::vector<char32_t> out_;
  icu::UnicodeString us_, us2_, us3_;
};

}  // namespace tusk::runtime::norm
