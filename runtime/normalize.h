// Text normalization before matching: named profiles of steps (NFKC, case folding, Traditional to
// Simplified Chinese, diacritic removal, confusable skeletons, separator collapsing, digit
// folding), with a byte-exact map from the normalized text back to the original UTF-8, because
// evidence spans must point into the text the user wrote. docs/normalization.md has the rules
// of every step and the measured speed.
//
// Threading (compile once, scan many): profiles are immutable constants. A Normalizer owns ICU
// objects and scratch buffers and is NOT thread-safe: keep one per scanner thread. Constructing
// it costs ICU data loading; once its buffers and the caller's NormalizedText have grown to the
// working size, normalize() allocates only for characters it has not met before (caches).
//
// ICU stays behind this header: no ICU type crosses it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tusk::runtime {

// The steps, in the order they run. A profile is a set of them.
enum class Step : std::uint8_t {
  kInvisible,                // drop zero-width and other invisible format characters
  kWidth,                    // full-width ASCII and U+3000 to their half-width forms
  kNfkc,                     // Unicode NFKC
  kCaseFold,                 // full Unicode case folding ("ß" -> "ss"), re-normalized to NFKC
  kTraditionalToSimplified,  // ICU "Traditional-Simplified", one code point at a time
  kDiacritics,               // marks on Latin/Greek/Cyrillic letters removed; "đ" -> "d"
  kConfusables,              // UTS #39 skeletons, only where they give one ASCII letter
  kWhitespace,               // every run of White_Space to one U+0020
  kSeparators,               // "i.v.o.r.y", "i v o r y", "i🐘v🐘o🐘r🐘y" -> "ivory"
  kDigitFolding,             // "1vory", "iv0ry", "$ale" -> letters, inside wordy tokens only
};
inline constexpr int kStepCount = 10;

std::string_view step_name(Step step);

class StepSet {
 public:
  constexpr StepSet() = default;
  constexpr StepSet(std::initializer_list<Step> steps) {
    for (Step s : steps) bits_ |= bit(s);
  }
  constexpr bool has(Step s) const { return (bits_ & bit(s)) != 0; }
  constexpr StepSet with(Step s) const {
    StepSet r = *this;
    r.bits_ |= bit(s);
    return r;
  }
  constexpr StepSet without(Step s) const {
    StepSet r = *this;
    r.bits_ &= ~bit(s);
    return r;
  }
  friend constexpr bool operator==(StepSet, StepSet) = default;

 private:
  static constexpr std::uint32_t bit(Step s) { return 1u << static_cast<unsigned>(s); }
  std::uint32_t bits_ = 0;
};

struct Profile {
  std::string_view name;     // canonical name; plans key their scan passes by it
  std::string_view summary;  // one line, for docs, `tusk explain` and diagnostics
  StepSet steps;
};

// Every profile, canonical names only, in documentation order.
std::span<const Profile> profiles();
// Looks a profile up by canonical name or alias ("vi" is "no_diacritics"); nullptr if unknown.
const Profile* find_profile(std::string_view name);
// All names find_profile accepts (canonical names and aliases), for listings and did-you-mean.
std::vector<std::string> profile_names();
// The accepted name closest to an unknown one, if any is close enough.
std::optional<std::string> suggest_profile(std::string_view unknown);

// Normalized text plus the way back to the original bytes.
//
// Invariants (tested): orig_begin and orig_end are non-decreasing, within [0, input size], and
// orig_begin[i] < orig_end[i] for every byte i of `text`; every byte of the input is covered by
// the range of some output byte unless a step removed it (invisible characters, separators of a
// collapsed run). All bytes of one output character share its source range.
struct NormalizedText {
  std::string text;  // normalized, always valid UTF-8
  // Size text.size() + 1 unless identity_map. For normalized byte i: the original byte range
  // [orig_begin[i], orig_end[i]) of the character(s) it came from. The extra last entry is the
  // input size, so an empty range at the end maps too.
  std::vector<std::uint32_t> orig_begin;
  std::vector<std::uint32_t> orig_end;
  // True when normalized byte i came from original byte i for every i (the text may still differ
  // by case: pure-ASCII input that was only lower-cased). The vectors are then empty.
  bool identity_map = true;
  // Steps of the producing profile that cannot have changed this text (a conservative check
  // made while normalizing). same_result() uses it to reuse one profile's output for another.
  StepSet inert;

  // Maps a normalized byte range [b, e), with b and e on character boundaries and e <= size,
  // to the original byte range it came from. An empty range maps to an empty range.
  std::pair<std::uint32_t, std::uint32_t> to_original(std::uint32_t b, std::uint32_t e) const {
    if (identity_map) return {b, e};
    if (b >= e) return {orig_begin[b], orig_begin[b]};
    return {orig_begin[b], orig_end[e - 1]};
  }
};

struct NormalizerOptions {
  // Pure-ASCII input is normalized by a byte loop (no ICU). Off only for tests that check the
  // fast path against the general one.
  bool ascii_fast_path = true;
  // The context steps (whitespace, separators, digit folding) are skipped on non-ASCII input
  // when the decoding loop has seen nothing they could change. Off only for tests that check
  // the skipping against always running them.
  bool skip_unchanged_context_steps = true;
  // ASCII runs inside non-ASCII text are folded and classified 32 bytes at a time where the
  // CPU allows (runtime/ascii_simd.h). Off only for tests that check it against the byte loop.
  bool simd_ascii_runs = true;
};

// Whether `done`, the output of normalizing some text with profile `from`, is exactly what
// profile `to` gives for the same text: `to` has no step `from` lacks, and every step of `from`
// that `to` lacks is inert in `done`. Lets a scanner normalize a field once for nested profiles
// (evasive, then default) when the extra steps found nothing to act on.
bool same_result(const NormalizedText& done, const Profile& from, const Profile& to);

class Normalizer {
 public:
  // Throws std::runtime_error when ICU lacks data the profile needs (a broken installation).
  explicit Normalizer(const Profile& profile, const NormalizerOptions& options = {});
  ~Normalizer();
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  const Profile& profile() const;

  // Normalizes `utf8` into `out`, reusing its buffers. Invalid UTF-8 becomes U+FFFD (one per
  // maximal ill-formed subsequence) mapped to the bad bytes. Inputs of 4 GiB or more throw
  // std::length_error (offsets are 32-bit).
  void normalize(std::string_view utf8, NormalizedText& out);

  // The normalized form of a lexicon term: exactly the text normalize() gives, so that a term
  // found in a listing is found again in the listing's normalized text.
  std::string normalize_term(std::string_view utf8);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tusk::runtime
