// Normalizer: the per-thread engine behind runtime/normalize.h.
//
// Three paths produce the same result (normalize_test checks them against each other):
// - pure-ASCII input: a byte loop (case folding by table) followed by the context steps on the
//   bytes themselves; the offset map stays implicit until a step changes the length;
// - anything else: decode to code points, cut the text into normalization segments (a starter and
//   the characters that may combine with it, Normalizer2::hasBoundaryBefore), run the character
//   steps on each segment through ICU, give every output code point the original byte range of
//   its segment, run the context steps, and encode;
// - the direct path, tried first for non-ASCII input: the same decoding and character steps,
//   writing bytes and map straight to the output, valid when the decoding loop's prechecks show
//   that no context step would change anything (most honest text); otherwise the unit path runs.
// Segments make offsets exact without asking ICU for a mapping it does not have: NFKC, case
// folding and the transliterator never move text across a segment boundary here, because each
// segment is normalized alone and Traditional-to-Simplified is applied per code point.
#include "runtime/normalize.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "runtime/normalize_context.h"

namespace tusk::runtime {
namespace {

using norm::is_invisible;

struct Unit {
  char32_t cp;
  std::uint32_t b;  // original byte range of the segment this code point came from
  std::uint32_t e;
};

// Compaction over code point units (see runtime/normalize_context.h for the contract).
// `n` units of `u` are in use: the vector only grows, so that reuse costs no initialization.
struct UnitSeq {
  std::vector<Unit>& u;
  std::size_t n;
  std::size_t w = 0;
  std::size_t size() const { return n; }
  char32_t cp(std::size_t i) const { return u[i].cp; }
  void set_cp(std::size_t i, char32_t c) { u[i].cp = c; }
  void keep(std::size_t i) { u[w++] = u[i]; }
  void keep_as(std::size_t i, char32_t c) {
    u[w] = u[i];
    u[w++].cp = c;
  }
  void drop(std::size_t) {}
  void merge(std::size_t i) { u[w - 1].e = u[i].e; }
  void finish() {
    n = w;
    w = 0;
  }
};

// Compaction over ASCII bytes. While no step has changed the length, byte i came from input
// byte i and no map is stored; the first drop or merge writes the identity map out. Raw
// pointers rather than container references: a char store may alias a std::string's own
// fields, which would make the compiler reload them on every byte.
struct ByteSeq {
  std::string& text;
  std::vector<std::uint32_t>& begin;
  std::vector<std::uint32_t>& end;
  char* t = text.data();
  std::size_t n = text.size();
  std::uint32_t* b = nullptr;
  std::uint32_t* e = nullptr;
  bool mapped = false;
  std::size_t w = 0;
  std::size_t size() const { return n; }
  char32_t cp(std::size_t i) const { return static_cast<unsigned char>(t[i]); }
  void set_cp(std::size_t i, char32_t c) { t[i] = static_cast<char>(c); }
  void materialize() {
    if (mapped) return;
    // Until now every element was kept in place (w == i), so the identity is exact.
    begin.resize(n);
    end.resize(n);
    b = begin.data();
    e = end.data();
    for (std::size_t k = 0; k < n; ++k) {
      b[k] = static_cast<std::uint32_t>(k);
      e[k] = static_cast<std::uint32_t>(k + 1);
    }
    mapped = true;
  }
  void keep(std::size_t i) {
    if (mapped) {
      b[w] = b[i];
      e[w] = e[i];
    }
    t[w++] = t[i];
  }
  void keep_as(std::size_t i, char32_t c) {
    if (mapped) {
      b[w] = b[i];
      e[w] = e[i];
    }
    t[w++] = static_cast<char>(c);
  }
  void drop(std::size_t) { materialize(); }
  void merge(std::size_t i) {
    materialize();
    e[w - 1] = e[i];
  }
  void finish() {
    n = w;
    text.resize(w);
    t = text.data();
    if (mapped) {
      begin.resize(w);
      end.resize(w);
      b = begin.data();
      e = end.data();
    }
    w = 0;
  }
};

bool is_ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) & 0x80) return false;
  }
  return true;
}

inline char ascii_lower(char c) {
  return static_cast<char>(c + ((static_cast<unsigned char>(c - 'A') < 26u) ? 32 : 0));
}

// Byte maps for the ASCII path: [fold case?][whitespace to space?]. Index 128..255 is never
// used (the input is ASCII) but keeps the lookup free of a bounds test.
struct AsciiMap {
  char to[256] = {};
};
constexpr std::array<AsciiMap, 4> make_ascii_maps() {
  std::array<AsciiMap, 4> maps{};
  for (int m = 0; m < 4; ++m) {
    for (int c = 0; c < 256; ++c) {
      char out = static_cast<char>(c);
      if ((m & 1) && c >= 'A' && c <= 'Z') out = static_cast<char>(c + 32);
      if ((m & 2) && c < 128 && (norm::kAscii.cls[c] & norm::kClsSpace)) out = ' ';
      maps[m].to[c] = out;
    }
  }
  return maps;
}
constexpr std::array<AsciiMap, 4> kAsciiMaps = make_ascii_maps();

// Explicit width folding, so that profiles state it even though NFKC covers it.
char32_t narrow(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  if (c == 0x3000) return U' ';
  switch (c) {
    case 0xFFE0: return 0xA2;
    case 0xFFE1: return 0xA3;
    case 0xFFE2: return 0xAC;
    case 0xFFE3: return 0xAF;
    case 0xFFE4: return 0xA6;
    case 0xFFE5: return 0xA5;
    case 0xFFE6: return 0x20A9;
    default: return c;
  }
}

// Letters with a stroke or bar rather than a combining mark, so NFD cannot strip them.
char32_t strip_stroke(char32_t c) {
  switch (c) {
    case 0x0111: return U'd';  // đ (Vietnamese)
    case 0x0110: return U'D';
    case 0x00F0: return U'd';  // ð
    case 0x0127: return U'h';  // ħ
    case 0x0142: return U'l';  // ł
    case 0x0141: return U'L';
    case 0x00F8: return U'o';  // ø
    case 0x00D8: return U'O';
    case 0x0131: return U'i';  // ı
    case 0x0167: return U't';  // ŧ
    case 0x0180: return U'b';  // ƀ
    case 0x019A: return U'l';  // ƚ
    case 0x0268: return U'i';  // ɨ
    case 0x0289: return U'u';  // ʉ
    default: return c;
  }
}

bool is_diacritic_base_script(UScriptCode s) {
  return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC;
}

// Scripts whose letters imitate Latin ones in evasions. Han, kana, Hangul etc. are left alone:
// their skeletons map to other CJK characters, not to Latin.
bool is_confusable_script(UScriptCode s) {
  return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC ||
         s == USCRIPT_ARMENIAN || s == USCRIPT_CHEROKEE || s == USCRIPT_COPTIC;
}

UScriptCode script_of(char32_t c) {
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &st);
  return U_SUCCESS(st) ? s : USCRIPT_UNKNOWN;
}

// Direct-mapped cache of single-code-point segments: most non-ASCII text repeats a small set
// of characters, and one ICU round trip per character would dominate the cost.
struct CacheEntry {
  static constexpr char32_t kEmpty = 0xFFFFFFFF;
  static constexpr int kMaxOut = 3;
  char32_t key = kEmpty;
  std::uint8_t n = 0;
  std::uint8_t acted = 0;  // Impl::kActed* of the segment
  char32_t out[kMaxOut] = {};
};
constexpr int kCacheBits = 12;

std::size_t cache_slot(char32_t c) { return (static_cast<std::uint32_t>(c) * 2654435761u) >> (32 - kCacheBits); }

}  // namespace

struct Normalizer::Impl {
  const Profile* profile;
  NormalizerOptions options;
  StepSet steps;

  const icu::Normalizer2* nfkc = nullptr;  // also cuts segments, whatever the profile
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  std::unique_ptr<icu::Transliterator> t2s;
  USpoofChecker* spoof = nullptr;

  std::vector<CacheEntry> cache;
  std::unordered_map<char32_t, std::u32string> t2s_cache;

  // Scratch, reused across calls.
  std::vector<Unit> units;
  std::vector<char32_t> seg_in;
  std::vector<char32_t> seg_out;
  std::vector<std::uint8_t> drop;
  std::u32string suffix;
  icu::UnicodeString us;
  icu::UnicodeString us2;
  icu::UnicodeString us3;
  NormalizedText term_out;

  // Which optional character steps changed some segment of the current input, for
  // NormalizedText::inert. seg_acted_ is the last process_segment()'s, for the caches.
  static constexpr std::uint8_t kActedDiacritics = 1, kActedConfusables = 2;
  std::uint8_t acted_ = 0;
  std::uint8_t seg_acted_ = 0;
  bool ascii_foldable_ = false;  // normalize_ascii() saw a foldable byte

  Impl(const Profile& p, const NormalizerOptions& o) : profile(&p), options(o), steps(p.steps) {
    UErrorCode st = U_ZERO_ERROR;
    nfkc = icu::Normalizer2::getNFKCInstance(st);
    nfd = icu::Normalizer2::getNFDInstance(st);
    nfc = icu::Normalizer2::getNFCInstance(st);
    check(st, "loading the NFKC/NFD/NFC data");
    if (steps.has(Step::kTraditionalToSimplified)) {
      t2s.reset(icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
      check(st, "creating the Traditional-Simplified transliterator");
    }
    if (steps.has(Step::kConfusables)) {
      spoof = uspoof_open(&st);
      check(st, "opening the confusables (UTS #39) data");
    }
    cache.resize(std::size_t{1} << kCacheBits);
    pc_cache.resize(std::size_t{1} << kCacheBits);
    for (char32_t c = 0; c < 128; ++c) ascii_pc[c] = classify(c, steps.has(Step::kDigitFolding));
  }
  ~Impl() {
    if (spoof) uspoof_close(spoof);
  }

  void check(UErrorCode st, std::string_view what) const {
    if (U_FAILURE(st)) {
      throw std::runtime_error(
          fmt::format("normalization profile '{}': ICU failed {}: {}", profile->name, what, u_errorName(st)));
    }
  }

  bool fold() const { return steps.has(Step::kCaseFold); }

  void normalize(std::string_view in, NormalizedText& out) {
    if (in.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw std::length_error("normalize: input of 4 GiB or more");
    }
    out.text.clear();
    out.orig_begin.clear();
    out.orig_end.clear();
    out.identity_map = true;
    acted_ = 0;
    if (options.ascii_fast_path && is_ascii(in)) {
      normalize_ascii(in, out);
      // The ASCII path reads only these four steps; the others cannot act on ASCII, and digit
      // folding (also in the separator step) acts only through foldable bytes.
      StepSet inert{Step::kInvisible, Step::kWidth, Step::kNfkc, Step::kTraditionalToSimplified,
                    Step::kDiacritics, Step::kConfusables};
      out.inert = ascii_foldable_ ? inert : inert.with(Step::kDigitFolding);
      return;
    }
    if (!options.skip_unchanged_context_steps || !normalize_direct(in, out)) {
      normalize_general(in, out);
    }
    // Both paths tracked the final character-step output: without a foldable character, digit
    // folding changes nothing and the separator step treats text the same with or without it.
    StepSet inert;
    if (!(acted_ & kActedDiacritics)) inert = inert.with(Step::kDiacritics);
    if (!(acted_ & kActedConfusables)) inert = inert.with(Step::kConfusables);
    if (!pre_.foldable) inert = inert.with(Step::kDigitFolding);
    out.inert = inert;
  }

  // The context steps over code point units, each skipped when a cheap scan shows it would
  // keep every unit as it is (the common case: honest text has single spaces and no spelled-out
  // words), because each step otherwise rewrites every unit.
  // Returns whether any step ran (and so may have changed the units).
  // The flags come from the decoding loop (track()); after a whitespace collapse the
  // separator test is redone on the collapsed units.
  bool context_steps_units(UnitSeq& seq) {
    const bool digits = steps.has(Step::kDigitFolding);
    const bool all = !options.skip_unchanged_context_steps;
    bool ran = false;
    if (steps.has(Step::kWhitespace) && (all || pre_.ws)) {
      norm::collapse_whitespace(seq);
      ran = true;
    }
    if (steps.has(Step::kSeparators) && (all || (ran ? may_spell(seq, digits) : pre_.spell))) {
      norm::collapse_separators(seq, digits, drop);
      ran = true;
    }
    if (digits && (all || pre_.foldable)) {
      norm::fold_digits(seq, suffix);
      ran = true;
    }
    return ran;
  }

  // Precheck classes of a code point, as the context steps see it.
  static constexpr std::uint8_t kPcSpace = 1, kPcSep = 2, kPcLetter = 4, kPcWord = 8, kPcMark = 16,
                                kPcFoldable = 32, kPcOddSpace = 64;  // whitespace other than U+0020
  std::uint8_t ascii_pc[128] = {};
  struct PcEntry {
    char32_t key = CacheEntry::kEmpty;
    std::uint8_t cls = 0;
  };
  std::vector<PcEntry> pc_cache;

  std::uint8_t classify(char32_t c, bool digits) const {
    std::uint8_t k = 0;
    if (norm::is_space(c)) k |= c == U' ' ? kPcSpace : kPcSpace | kPcOddSpace;
    if (c < 128 ? (norm::kAscii.cls[c] & norm::kClsSeparator) != 0
                : c == 0xB7 || c == 0x2022 || is_invisible(c) || norm::is_pictographic(c)) {
      k |= kPcSep;  // exactly when norm::separator_end() finds a separator at c
    }
    if (norm::is_letter(c) || (digits && norm::is_foldable(c))) k |= kPcLetter;
    if (norm::is_word(c, digits)) k |= kPcWord;
    if (norm::is_mark(c)) k |= kPcMark;
    if (norm::is_foldable(c)) k |= kPcFoldable;
    return k;
  }
  std::uint8_t pc_of(char32_t c) {
    if (c < 128) return ascii_pc[c];
    PcEntry& e = pc_cache[cache_slot(c)];
    if (e.key != c) {
      e.key = c;
      e.cls = classify(c, steps.has(Step::kDigitFolding));
    }
    return e.cls;
  }

  // What the decoding loop learns, unit by unit, about whether each context step could change
  // anything. Conservative: a step may run for nothing, never be skipped when it would act.
  // - whitespace collapsing acts on a whitespace unit other than U+0020 or after another one;
  // - separator collapsing drops units only after a one-character word (a letter, or a
  //   foldable under digit folding, not preceded by a word character) directly followed by a
  //   separator; a combining mark anywhere makes the test give up (answer yes);
  // - digit folding rewrites only foldable ASCII characters.
  // Separators: a run needs at least two one-character words, so with one-unit separators the
  // units "[not a word] L S L" (L a letter, S a separator) appear; a non-ASCII separator (an
  // emoji may take several units) after "[not a word] L" or any mark is taken as a yes.
  struct Precheck {
    bool ws = false, spell = false, foldable = false;
    std::uint8_t h1 = 0, h2 = 0, h3 = 0;  // classes of the previous three units
  };
  Precheck pre_;
  void track(char32_t c, std::uint8_t k) {
    pre_.ws |= (k & kPcSpace) && ((pre_.h1 & kPcSpace) || c != U' ');
    pre_.spell |= ((k & kPcLetter) && (pre_.h1 & kPcSep) && (pre_.h2 & kPcLetter) && !(pre_.h3 & kPcWord)) ||
                  (c >= 0x80 && (k & kPcSep) && (pre_.h1 & kPcLetter) && !(pre_.h2 & kPcWord)) || (k & kPcMark);
    pre_.foldable |= (k & kPcFoldable) != 0;
    pre_.h3 = pre_.h2;
    pre_.h2 = pre_.h1;
    pre_.h1 = k;
  }
  // Whether the context steps of the profile would leave the units as they are.
  bool context_unchanged() const {
    return !(steps.has(Step::kWhitespace) && pre_.ws) && !(steps.has(Step::kSeparators) && pre_.spell) &&
           !(steps.has(Step::kDigitFolding) && pre_.foldable);
  }

  // collapse_separators drops something only inside a run of one-character words joined by
  // separators, so only where a separator unit directly follows a one-character word (after
  // its marks). False means it would keep every unit.
  static bool may_spell(const UnitSeq& seq, bool digits) {
    const std::size_t n = seq.size();
    for (std::size_t k = 1; k + 1 < n; ++k) {
      const char32_t c = seq.cp(k);
      if (c < 128 ? (norm::kAscii.cls[c] & norm::kClsSeparator) == 0 : norm::separator_end(seq, k) == 0) continue;
      std::size_t p = k - 1;
      while (p > 0 && norm::is_mark(seq.cp(p))) --p;
      // The end of a longer word, the common case, needs no call.
      if (p > 0 && norm::is_word(seq.cp(p - 1), digits)) continue;
      if (norm::single_end(seq, p, digits) == k) return true;
    }
    return false;
  }

  // On ASCII, NFKC, width, Traditional-Simplified, diacritics, confusables and invisible
  // removal are all no-ops, so only case folding and the context steps remain. One table pass
  // folds case and turns every whitespace byte into a space (same length, so no map); the
  // context passes run only when a cheap scan says they could change something.
  void normalize_ascii(std::string_view in, NormalizedText& out) {
    const std::size_t n = in.size();
    out.text.resize(n);
    char* t = out.text.data();
    const char* src = in.data();
    const bool ws = steps.has(Step::kWhitespace);
    const bool digits = steps.has(Step::kDigitFolding);
    const AsciiMap& map = kAsciiMaps[(fold() ? 1 : 0) + (ws ? 2 : 0)];
    const auto& cls = norm::kAscii.cls;
    const std::uint64_t letter = norm::kClsLetter | (digits ? norm::kClsFoldable : 0);
    const std::uint64_t word = letter | norm::kClsDigit;
    // Branch-free scan for what the context passes need: a run of spaces, two one-character
    // words around a separator (the last five classes sit in `h`, a byte each), a foldable.
    bool space_run = false;
    bool spell = false;
    std::uint8_t seen = 0;
    std::uint64_t h = 0;
    auto spelled = [&](std::uint64_t h5) {
      return !((h5 >> 32) & word) & !!((h5 >> 24) & letter) & !!((h5 >> 16) & norm::kClsSeparator) &
             !!((h5 >> 8) & letter) & !(h5 & word);
    };
    if (steps.has(Step::kSeparators) || digits) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = map.to[static_cast<unsigned char>(src[i])];
        t[i] = c;
        const std::uint8_t k = cls[static_cast<unsigned char>(c)];
        space_run |= (c == ' ') & ((h & 0xFF) == (norm::kClsSpace | norm::kClsSeparator));
        seen |= k;
        h = (h << 8) | k;
        spell |= spelled(h);
      }
      spell |= spelled(h << 8);
    } else {
      bool prev_space = false;
      for (std::size_t i = 0; i < n; ++i) {
        const char c = map.to[static_cast<unsigned char>(src[i])];
        t[i] = c;
        const bool sp = c == ' ';
        space_run |= sp & prev_space;
        prev_space = sp;
      }
    }
    ByteSeq seq{out.text, out.orig_begin, out.orig_end};
    if (ws && space_run) {
      norm::collapse_whitespace(seq);
      spell = true;  // the scan saw "i  v", not the "i v" that is left now
    }
    if (steps.has(Step::kSeparators) && spell) norm::collapse_separators(seq, digits, drop);
    ascii_foldable_ = (seen & norm::kClsFoldable) != 0;
    if (digits && ascii_foldable_) norm::fold_digits(seq, suffix);
    if (seq.mapped) {
      out.identity_map = false;
      out.orig_begin.push_back(static_cast<std::uint32_t>(n));
      out.orig_end.push_back(static_cast<std::uint32_t>(n));
    }
  }

  // The general path without units, for text the context steps would leave alone (checked
  // while decoding): normalized bytes and, once the first character does not map one-to-one,
  // the offset map are written directly. Returns false, with `out` unspecified, when some
  // context step would act; normalize_general() then does the whole job. Same character steps,
  // segments and caches as normalize_general(), so the same output.
  char* dt = nullptr;  // out.text
  std::uint32_t* dob = nullptr;
  std::uint32_t* doe = nullptr;
  std::size_t dpos = 0, dcap = 0;
  bool dmapped = false;

  void direct_reserve(NormalizedText& out, std::size_t more) {
    if (dpos + more <= dcap) return;
    dcap = std::max(dpos + more, dcap * 2);
    out.text.resize(dcap);
    dt = out.text.data();
    if (dmapped) {
      out.orig_begin.resize(dcap + 1);
      out.orig_end.resize(dcap + 1);
      dob = out.orig_begin.data();
      doe = out.orig_end.data();
    }
  }
  // Writes the map of the identity prefix: each character's bytes map to its own range.
  void direct_materialize(NormalizedText& out) {
    out.orig_begin.resize(dcap + 1);
    out.orig_end.resize(dcap + 1);
    dob = out.orig_begin.data();
    doe = out.orig_end.data();
    for (std::size_t k = 0; k < dpos;) {
      const std::size_t len = U8_COUNT_TRAIL_BYTES_UNSAFE(static_cast<std::uint8_t>(dt[k])) + 1;
      for (std::size_t m = k; m < k + len; ++m) {
        dob[m] = static_cast<std::uint32_t>(k);
        doe[m] = static_cast<std::uint32_t>(k + len);
      }
      k += len;
    }
    dmapped = true;
  }
  void direct_emit(NormalizedText& out, char32_t cp, std::uint32_t b, std::uint32_t e) {
    track(cp, pc_of(cp));
    direct_reserve(out, 4);
    const std::size_t start = dpos;
    U8_APPEND_UNSAFE(dt, dpos, static_cast<UChar32>(cp));
    if (!dmapped && (b != start || e - b != dpos - start)) direct_materialize(out);
    if (dmapped) {
      for (std::size_t k = start; k < dpos; ++k) {
        dob[k] = b;
        doe[k] = e;
      }
    }
  }

  bool normalize_direct(std::string_view in, NormalizedText& out) {
    const auto* s = reinterpret_cast<const std::uint8_t*>(in.data());
    const std::int64_t n = static_cast<std::int64_t>(in.size());
    const bool invisible = steps.has(Step::kInvisible);
    const AsciiMap& lower = kAsciiMaps[fold() ? 1 : 0];
    pre_ = {};
    dmapped = false;
    dpos = 0;
    dcap = in.size() + 16;
    out.text.resize(dcap);
    dt = out.text.data();
    std::int64_t i = 0;
    while (i < n) {
      if (s[i] < 0x80) {
        // As in normalize_general: an ASCII run, its last byte left to the code below when a
        // non-ASCII character follows.
        std::int64_t j = i;
        while (j + 1 < n && s[j + 1] < 0x80) ++j;
        if (j + 1 >= n) ++j;
        const std::size_t len = static_cast<std::size_t>(j - i);
        direct_reserve(out, len);
        if (!dmapped && dpos != static_cast<std::size_t>(i)) direct_materialize(out);
        // track() on a shift register of the last four classes (a byte each, newest lowest):
        // each test is one mask and compare.
        constexpr std::uint32_t kSpellMask = kPcLetter | kPcSep << 8 | kPcLetter << 16 | std::uint32_t{kPcWord} << 24;
        constexpr std::uint32_t kSpell = kPcLetter | kPcSep << 8 | kPcLetter << 16;
        constexpr std::uint32_t kTwoSpaces = kPcSpace | kPcSpace << 8;
        std::uint32_t h = pre_.h1 | pre_.h2 << 8 | std::uint32_t{pre_.h3} << 16;
        bool ws = false, spell = false;
        std::uint8_t any = 0;
        char* t = dt + dpos;
        for (std::int64_t k = i; k < j; ++k) {
          const auto c = static_cast<unsigned char>(lower.to[s[k]]);
          *t++ = static_cast<char>(c);
          const std::uint8_t cls = ascii_pc[c];
          h = (h << 8) | cls;
          ws |= (h & kTwoSpaces) == kTwoSpaces;
          spell |= (h & kSpellMask) == kSpell;
          any |= cls;
        }
        pre_.ws |= ws || (any & kPcOddSpace);
        pre_.spell |= spell;
        pre_.foldable |= (any & kPcFoldable) != 0;
        pre_.h1 = static_cast<std::uint8_t>(h);
        pre_.h2 = static_cast<std::uint8_t>(h >> 8);
        pre_.h3 = static_cast<std::uint8_t>(h >> 16);
        if (dmapped) {
          for (std::size_t k = 0; k < len; ++k) {
            dob[dpos + k] = static_cast<std::uint32_t>(i + static_cast<std::int64_t>(k));
            doe[dpos + k] = static_cast<std::uint32_t>(i + static_cast<std::int64_t>(k) + 1);
          }
        }
        dpos += len;
        i = j;
        if (i >= n) break;
      }
      const std::int64_t seg_b = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      const bool bad = c < 0;
      if (bad) c = 0xFFFD;
      if (invisible && is_invisible(static_cast<char32_t>(c))) continue;
      if (c < 0x80 && (i >= n || s[i] < 0x80)) {
        direct_emit(out, static_cast<char32_t>(static_cast<unsigned char>(lower.to[c])),
                    static_cast<std::uint32_t>(seg_b), static_cast<std::uint32_t>(i));
        continue;
      }
      seg_in.clear();
      seg_in.push_back(static_cast<char32_t>(c));
      for (std::int64_t k = i; !bad && k < n;) {
        UChar32 d;
        U8_NEXT(s, k, n, d);
        if (d < 0x80) break;
        if (invisible && is_invisible(static_cast<char32_t>(d))) continue;
        if (nfkc->hasBoundaryBefore(d)) break;
        seg_in.push_back(static_cast<char32_t>(d));
        i = k;
      }
      const auto b = static_cast<std::uint32_t>(seg_b);
      const auto e = static_cast<std::uint32_t>(i);
      if (seg_in.size() == 1) {
        const char32_t one = seg_in[0];
        CacheEntry& ce = cache[cache_slot(one)];
        if (ce.key != one) {
          process_segment(&one, 1, seg_out);
          if (seg_out.size() <= CacheEntry::kMaxOut) {
            ce.key = one;
            ce.n = static_cast<std::uint8_t>(seg_out.size());
            ce.acted = seg_acted_;
            std::copy(seg_out.begin(), seg_out.end(), ce.out);
          } else {
            for (char32_t o : seg_out) direct_emit(out, o, b, e);
            continue;
          }
        }
        acted_ |= ce.acted;
        for (int k = 0; k < ce.n; ++k) direct_emit(out, ce.out[k], b, e);
      } else {
        process_segment(seg_in.data(), seg_in.size(), seg_out);
        for (char32_t o : seg_out) direct_emit(out, o, b, e);
      }
    }
    if (!context_unchanged()) {
      out.orig_begin.clear();  // normalize_general() expects them empty
      out.orig_end.clear();
      return false;
    }
    // Dropped invisible characters at the end leave the lengths unequal: map them too.
    if (!dmapped && dpos != in.size()) direct_materialize(out);
    out.text.resize(dpos);
    out.identity_map = !dmapped;
    if (dmapped) {
      out.orig_begin.resize(dpos + 1);
      out.orig_end.resize(dpos + 1);
      out.orig_begin[dpos] = static_cast<std::uint32_t>(in.size());
      out.orig_end[dpos] = static_cast<std::uint32_t>(in.size());
    } else {
      out.orig_begin.clear();
      out.orig_end.clear();
    }
    return true;
  }

  // Units are written through a raw pointer: a push_back per code point (not inlined, with its
  // capacity test) cost more than the rest of the decoding.
  Unit* ud = nullptr;
  std::size_t un = 0;
  std::size_t ucap = 0;
  void reserve_units(std::size_t more) {
    if (un + more <= ucap) return;
    units.resize(std::max(un + more, ucap * 2));
    ud = units.data();
    ucap = units.size();
  }
  [[gnu::always_inline]] void push_unit(char32_t cp, std::uint32_t b, std::uint32_t e) {
    if (un == ucap) reserve_units(1);
    ud[un++] = {cp, b, e};
    track(cp, pc_of(cp));
  }
  // Whether every unit so far maps one-to-one onto the input bytes (see encode()). ASCII bytes
  // always do; a segment does when it gives one code point of its own UTF-8 length.
  bool ident = true;
  void note_segment(std::size_t outputs, char32_t first, std::uint32_t b, std::uint32_t e) {
    ident = ident && outputs == 1 && static_cast<std::uint32_t>(U8_LENGTH(static_cast<UChar32>(first))) == e - b;
  }

  void normalize_general(std::string_view in, NormalizedText& out) {
    const auto* s = reinterpret_cast<const std::uint8_t*>(in.data());
    const std::int64_t n = static_cast<std::int64_t>(in.size());
    const bool invisible = steps.has(Step::kInvisible);
    const AsciiMap& lower = kAsciiMaps[fold() ? 1 : 0];
    un = 0;
    ucap = units.size();
    ud = units.data();
    ident = true;
    pre_ = {};
    reserve_units(in.size() + 1);  // a code point takes at least one byte; expansions may still grow it
    std::int64_t i = 0;
    while (i < n) {
      if (s[i] < 0x80) {
        // A run of ASCII: every byte is a segment of its own, except the last one when a
        // non-ASCII character follows (it may be a combining mark), which the general code
        // below takes. The capacity reserved above covers the run.
        // Locals, not the members: stores through `d` could alias them and force reloads.
        Unit* d = ud + un;
        const std::int64_t run_b = i;
        Precheck pre = pre_;
        while (i + 1 < n && s[i + 1] < 0x80) {
          const auto c = static_cast<unsigned char>(lower.to[s[i]]);
          *d++ = {static_cast<char32_t>(c), static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)};
          // track(), branch-free: no ASCII character is a mark.
          const std::uint8_t k = ascii_pc[c];
          pre.ws |= (k & kPcSpace) & (((pre.h1 & kPcSpace) != 0) | (c != ' '));
          pre.spell |= ((k & kPcLetter) != 0) & ((pre.h1 & kPcSep) != 0) & ((pre.h2 & kPcLetter) != 0) &
                       ((pre.h3 & kPcWord) == 0);
          pre.foldable |= (k & kPcFoldable) != 0;
          pre.h3 = pre.h2;
          pre.h2 = pre.h1;
          pre.h1 = k;
          ++i;
        }
        pre_ = pre;
        un += static_cast<std::size_t>(i - run_b);
        if (i + 1 >= n) {
          push_unit(static_cast<char32_t>(static_cast<unsigned char>(lower.to[s[i]])), static_cast<std::uint32_t>(i),
                    static_cast<std::uint32_t>(i + 1));
          ++i;
          continue;
        }
      }
      const std::int64_t seg_b = i;
      UChar32 c;
      U8_NEXT(s, i, n, c);
      const bool bad = c < 0;
      if (bad) c = 0xFFFD;
      if (invisible && is_invisible(static_cast<char32_t>(c))) {
        ident = false;
        continue;
      }
      if (c < 0x80 && (i >= n || s[i] < 0x80)) {
        char32_t out_c = fold() ? static_cast<char32_t>(ascii_lower(static_cast<char>(c))) : static_cast<char32_t>(c);
        push_unit(out_c, static_cast<std::uint32_t>(seg_b), static_cast<std::uint32_t>(i));  // tracks
        continue;
      }
      seg_in.clear();
      seg_in.push_back(static_cast<char32_t>(c));
      // Extend the segment over everything that may combine with its starter.
      // Invisible characters between the starter and a combining mark join the segment (so
      // "e<ZWSP><U+0301>" still composes); otherwise they stay outside and map to nothing.
      for (std::int64_t k = i; !bad && k < n;) {
        UChar32 d;
        U8_NEXT(s, k, n, d);
        if (d < 0x80) break;  // ASCII and ill-formed bytes start their own segment
        if (invisible && is_invisible(static_cast<char32_t>(d))) {
          ident = false;
          continue;
        }
        if (nfkc->hasBoundaryBefore(d)) break;
        seg_in.push_back(static_cast<char32_t>(d));
        i = k;
      }
      const auto b = static_cast<std::uint32_t>(seg_b);
      const auto e = static_cast<std::uint32_t>(i);
      if (seg_in.size() == 1) {
        emit_single(seg_in[0], b, e);
      } else {
        process_segment(seg_in.data(), seg_in.size(), seg_out);
        note_segment(seg_out.size(), seg_out.empty() ? 0 : seg_out[0], b, e);
        for (char32_t o : seg_out) push_unit(o, b, e);
      }
    }
    UnitSeq seq{units, un};
    const bool changed = context_steps_units(seq);
    encode(in.size(), out, seq.n, ident && !changed);
  }

  void emit_single(char32_t c, std::uint32_t b, std::uint32_t e) {
    CacheEntry& ce = cache[cache_slot(c)];
    if (ce.key != c) {
      process_segment(&c, 1, seg_out);
      if (seg_out.size() > CacheEntry::kMaxOut) {
        note_segment(seg_out.size(), seg_out[0], b, e);
        for (char32_t o : seg_out) push_unit(o, b, e);
        return;
      }
      ce.key = c;
      ce.n = static_cast<std::uint8_t>(seg_out.size());
      ce.acted = seg_acted_;
      std::copy(seg_out.begin(), seg_out.end(), ce.out);
    }
    acted_ |= ce.acted;
    note_segment(ce.n, ce.out[0], b, e);
    for (int k = 0; k < ce.n; ++k) push_unit(ce.out[k], b, e);
  }

  // The character steps on one segment. ICU failures leave the text as it was: a step that
  // cannot run must not lose the listing.
  void process_segment(const char32_t* in, std::size_t n, std::vector<char32_t>& out) {
    us.remove();
    for (std::size_t k = 0; k < n; ++k) {
      us.append(static_cast<UChar32>(steps.has(Step::kWidth) ? narrow(in[k]) : in[k]));
    }
    if (steps.has(Step::kNfkc)) apply(nfkc);
    if (fold()) {
      us.foldCase(U_FOLD_CASE_DEFAULT);
      if (steps.has(Step::kNfkc)) apply(nfkc);
    }
    if (steps.has(Step::kTraditionalToSimplified)) to_simplified();
    seg_acted_ = 0;
    if (steps.has(Step::kDiacritics)) {
      us3 = us;
      strip_diacritics();
      if (us != us3) seg_acted_ |= kActedDiacritics;
    }
    out.clear();
    for (int32_t k = 0; k < us.length();) {
      UChar32 c = us.char32At(k);
      k += U16_LENGTH(c);
      out.push_back(static_cast<char32_t>(c));
    }
    if (steps.has(Step::kConfusables)) {
      for (char32_t& c : out) {
        const char32_t k = skeleton_letter(c);
        if (k != c) seg_acted_ |= kActedConfusables;
        c = k;
      }
    }
    acted_ |= seg_acted_;
  }

  void apply(const icu::Normalizer2* n2) {
    UErrorCode st = U_ZERO_ERROR;
    us2.remove();
    n2->normalize(us, us2, st);
    if (U_SUCCESS(st)) us.swap(us2);
  }

  // Per code point, so that a term and a text containing it convert the same way whatever
  // surrounds them (the transliterator's few multi-character rules are given up for that).
  void to_simplified() {
    us2.remove();
    bool changed = false;
    for (int32_t k = 0; k < us.length();) {
      UChar32 c = us.char32At(k);
      k += U16_LENGTH(c);
      if (c < 0x2E80 || script_of(static_cast<char32_t>(c)) != USCRIPT_HAN) {
        us2.append(c);
        continue;
      }
      auto it = t2s_cache.find(static_cast<char32_t>(c));
      if (it == t2s_cache.end()) {
        icu::UnicodeString one(c);
        t2s->transliterate(one);
        std::u32string conv;
        for (int32_t m = 0; m < one.length();) {
          UChar32 d = one.char32At(m);
          m += U16_LENGTH(d);
          conv.push_back(static_cast<char32_t>(d));
        }
        it = t2s_cache.emplace(static_cast<char32_t>(c), std::move(conv)).first;
      }
      for (char32_t d : it->second) {
        us2.append(static_cast<UChar32>(d));
        changed = changed || d != static_cast<char32_t>(c);
      }
    }
    if (changed) us.swap(us2);
  }

  // NFD, drop nonspacing marks that sit on Latin, Greek or Cyrillic letters, recompose. Marks
  // on other scripts (Japanese dakuten, Thai vowels, Devanagari signs) carry letters, not
  // accents, and stay.
  void strip_diacritics() {
    UErrorCode st = U_ZERO_ERROR;
    us2.remove();
    nfd->normalize(us, us2, st);
    if (U_FAILURE(st)) return;
    us.remove();
    bool strip_marks = false;
    for (int32_t k = 0; k < us2.length();) {
      UChar32 c = us2.char32At(k);
      k += U16_LENGTH(c);
      if (u_charType(c) == U_NON_SPACING_MARK) {
        if (!strip_marks) us.append(c);
        continue;
      }
      strip_marks = c < 0x80 || is_diacritic_base_script(script_of(static_cast<char32_t>(c)));
      us.append(static_cast<UChar32>(strip_stroke(static_cast<char32_t>(c))));
    }
    apply(steps.has(Step::kNfkc) ? nfkc : nfc);
  }

  // UTS #39 skeleton of one character, used only when it is a single ASCII letter: that maps
  // Cyrillic "і" to "i" but never turns Latin "m" into "rn" (ASCII is not looked up at all).
  char32_t skeleton_letter(char32_t c) {
    if (c < 0x80 || !is_confusable_script(script_of(c))) return c;
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString one(static_cast<UChar32>(c));
    icu::UnicodeString sk;
    uspoof_getSkeletonUnicodeString(spoof, 0, one, sk, &st);
    if (U_FAILURE(st)) return c;
    sk.foldCase(U_FOLD_CASE_DEFAULT);
    if (sk.length() == 1 && sk[0] >= u'a' && sk[0] <= u'z') return static_cast<char32_t>(sk[0]);
    return c;
  }

  // `known_identity`: the caller knows every unit maps one-to-one onto the input bytes, so the
  // sizing pass is skipped and no map is written.
  void encode(std::size_t in_size, NormalizedText& out, std::size_t count, bool known_identity) {
    const std::span<const Unit> used(units.data(), count);
    if (known_identity) {
      out.text.resize(in_size);
      auto* t = reinterpret_cast<std::uint8_t*>(out.text.data());
      std::size_t pos = 0;
      for (const Unit& u : used) {
        if (u.cp < 0x80) {
          t[pos++] = static_cast<std::uint8_t>(u.cp);
        } else {
          U8_APPEND_UNSAFE(t, pos, static_cast<UChar32>(u.cp));
        }
      }
      out.identity_map = true;
      return;
    }
    // Size first, then write through raw pointers: three push_backs per byte cost more than the
    // whole decoding.
    std::size_t total = 0;
    bool identity = true;
    for (const Unit& u : used) {
      const std::uint32_t len = u.cp < 0x80 ? 1 : u.cp < 0x800 ? 2 : u.cp < 0x10000 ? 3 : 4;
      identity &= (u.b == total) & (u.e - u.b == len);  // no branch: the test is almost always true
      total += len;
    }
    out.text.resize(total);
    auto* t = reinterpret_cast<std::uint8_t*>(out.text.data());
    if (identity && total == in_size) {
      std::size_t pos = 0;
      for (const Unit& u : used) U8_APPEND_UNSAFE(t, pos, static_cast<UChar32>(u.cp));
      out.identity_map = true;
      return;
    }
    out.identity_map = false;
    out.orig_begin.resize(total + 1);
    out.orig_end.resize(total + 1);
    std::uint32_t* ob = out.orig_begin.data();
    std::uint32_t* oe = out.orig_end.data();
    std::size_t pos = 0;
    for (const Unit& u : used) {
      if (u.cp < 0x80) {
        t[pos] = static_cast<std::uint8_t>(u.cp);
        ob[pos] = u.b;
        oe[pos] = u.e;
        ++pos;
        continue;
      }
      const std::size_t start = pos;
      U8_APPEND_UNSAFE(t, pos, static_cast<UChar32>(u.cp));
      for (std::size_t k = start; k < pos; ++k) {
        ob[k] = u.b;
        oe[k] = u.e;
      }
    }
    ob[total] = static_cast<std::uint32_t>(in_size);
    oe[total] = static_cast<std::uint32_t>(in_size);
  }
};

bool same_result(const NormalizedText& done, const Profile& from, const Profile& to) {
  for (int k = 0; k < kStepCount; ++k) {
    const auto step = static_cast<Step>(k);
    if (to.steps.has(step) && !from.steps.has(step)) return false;
    if (from.steps.has(step) && !to.steps.has(step) && !done.inert.has(step)) return false;
  }
  return true;
}

Normalizer::Normalizer(const Profile& profile, const NormalizerOptions& options)
    : impl_(std::make_unique<Impl>(profile, options)) {}
Normalizer::~Normalizer() = default;
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;

const Profile& Normalizer::profile() const { return *impl_->profile; }

void Normalizer::normalize(std::string_view utf8, NormalizedText& out) { impl_->normalize(utf8, out); }

std::string Normalizer::normalize_term(std::string_view utf8) {
  impl_->normalize(utf8, impl_->term_out);
  return impl_->term_out.text;
}

}  // namespace tusk::runtime
