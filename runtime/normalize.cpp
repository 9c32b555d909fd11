// Normalizer: the per-thread engine behind runtime/normalize.h.
//
// Three paths produce the same result (normalize_test checks them against each other):
// - pure-ASCII input: case folding (a SIMD scan from 32 bytes, else a byte loop by table)
//   followed by the context steps on the bytes themselves; the offset map stays implicit until
//   a step changes the length;
// - the general (unit) path, the reference: decode to code points, cut the text into
//   normalization segments (a starter and the characters that may combine with it,
//   Normalizer2::hasBoundaryBefore), run the character steps on each segment through ICU, give
//   every output code point the original byte range of its segment, run every context step, and
//   encode. Used when NormalizerOptions::skip_unchanged_context_steps is off (tests);
// - the direct path, for all other non-ASCII input: the same decoding and character steps,
//   writing bytes and map straight to the output; when the decoding loop's prechecks show that
//   a context step could change something (rare in honest text), the steps then run on that
//   output as units and it is encoded again.
// Segments make offsets exact without asking ICU for a mapping it does not have: NFKC, case
// folding and the transliterator never move text across a segment boundary here, because each
// segment is normalized alone and Traditional-to-Simplified is applied per code point.
//
// The character steps themselves (ICU) are in normalize_chars.cpp; the context steps in
// normalize_context.h, over the sequences of normalize_seqs.h; the direct path's output, with
// its lazily written map, in normalize_direct.h; the profiles in normalize_profiles.cpp.
#include "runtime/normalize.h"
#include "runtime/ascii_simd.h"

#include <unicode/utf8.h>

#include <array>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>

#include "runtime/normalize_chars.h"
#include "runtime/normalize_context.h"
#include "runtime/normalize_direct.h"
#include "runtime/normalize_seqs.h"

namespace tusk::runtime {
namespace {

using norm::ByteSeq;
using norm::is_invisible;
using norm::Unit;
using norm::UnitSeq;

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

}  // namespace

struct Normalizer::Impl {
  const Profile* profile;
  NormalizerOptions options;
  StepSet steps;

  norm::CharSteps chars;  // the character steps, per segment

  // Scratch, reused across calls.
  std::vector<Unit> units;
  std::vector<char32_t> seg_in;
  std::vector<std::uint8_t> drop;
  std::u32string suffix;
  NormalizedText term_out;

  bool ascii_foldable_ = false;  // normalize_ascii() saw a foldable byte

  Impl(const Profile& p, const NormalizerOptions& o) : profile(&p), options(o), steps(p.steps), chars(p) {
    pc_cache.resize(std::size_t{1} << kPcCacheBits);
    for (char32_t c = 0; c < 128; ++c) ascii_pc[c] = classify(c, steps.has(Step::kDigitFolding));
    ascii_tables.build(ascii_pc, fold());
    simd_runs = o.simd_ascii_runs && norm::ascii_simd_available();
    // normalize_ascii()'s scan takes the whitespace step's map to change only bytes the
    // precheck classes as other whitespace (it then leaves the text to the byte loops).
    simd_ascii = simd_runs;
    for (unsigned x = 0; x < 128; ++x) {
      const bool ws_maps = kAsciiMaps[(fold() ? 1 : 0) + 2].to[x] != kAsciiMaps[fold() ? 1 : 0].to[x];
      if (ws_maps && !(ascii_pc[x] & kPcOddSpace)) simd_ascii = false;
    }
  }
  norm::AsciiClassTables ascii_tables;  // ascii_pc as nibble tables, for ascii_scan
  norm::AsciiScan ascii_scan;           // normalize_direct()'s text, when simd_runs
  bool simd_runs = false;
  bool simd_ascii = false;  // normalize_ascii() may take the scan (see the constructor)

  bool fold() const { return steps.has(Step::kCaseFold); }

  void normalize(std::string_view in, NormalizedText& out) {
    if (in.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw std::length_error("normalize: input of 4 GiB or more");
    }
    out.text.clear();
    out.orig_begin.clear();
    out.orig_end.clear();
    out.identity_map = true;
    chars.reset_acted();
    if (options.ascii_fast_path && is_ascii(in)) {
      normalize_ascii(in, out);
      // The ASCII path reads only these four steps; the others cannot act on ASCII, and digit
      // folding (also in the separator step) acts only through foldable bytes.
      StepSet inert{Step::kInvisible,  Step::kWidth,      Step::kNfkc, Step::kTraditionalToSimplified,
                    Step::kDiacritics, Step::kConfusables};
      out.inert = ascii_foldable_ ? inert : inert.with(Step::kDigitFolding);
      return;
    }
    if (options.skip_unchanged_context_steps) {
      normalize_direct(in, out);
    } else {
      normalize_general(in, out);
    }
    // Both paths tracked the final character-step output: without a foldable character, digit
    // folding changes nothing and the separator step treats text the same with or without it.
    StepSet inert;
    if (!(chars.acted() & norm::CharSteps::kActedDiacritics)) inert = inert.with(Step::kDiacritics);
    if (!(chars.acted() & norm::CharSteps::kActedConfusables)) inert = inert.with(Step::kConfusables);
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
    if (steps.has(Step::kSeparators) && (all || (ran ? may_spell(seq, digits) : may_have_spelling()))) {
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
  // (runtime/ascii_simd.cpp relies on the bit numbers of space, separator, letter and word.)
  static constexpr std::uint8_t kPcSpace = 1, kPcSep = 2, kPcLetter = 4, kPcWord = 8, kPcMark = 16,
                                kPcFoldable = 32, kPcOddSpace = 64;  // whitespace other than U+0020
  static_assert(norm::AsciiScan::kAnyBits == (kPcFoldable | kPcOddSpace));
  static_assert(norm::AsciiScan::kWordClass == kPcWord && norm::AsciiScan::kFoldableClass == kPcFoldable &&
                norm::AsciiScan::kOddSpaceClass == kPcOddSpace);
  std::uint8_t ascii_pc[128] = {};
  // Direct-mapped cache of the classes of non-ASCII code points (ICU property lookups).
  struct PcEntry {
    char32_t key = 0xFFFFFFFF;
    std::uint8_t cls = 0;
  };
  static constexpr int kPcCacheBits = 12;
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
    PcEntry& e = pc_cache[(static_cast<std::uint32_t>(c) * 2654435761u) >> (32 - kPcCacheBits)];
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
  // units "[not a word] L S L [not a word]" (L a letter, S a separator; the end of the text is
  // not a word) appear; a non-ASCII separator (an emoji may take several units) after
  // "[not a word] L" or any mark is taken as a yes. The last test waits a unit: `pend` says
  // "[not a word] L S L" ended at the last unit ("T-Shirt" and "x 3kg" get no further).
  struct Precheck {
    bool ws = false, spell = false, foldable = false;
    bool pend = false;
    std::uint8_t h1 = 0, h2 = 0, h3 = 0;  // classes of the previous three units
  };
  Precheck pre_;
  // Whether the text so far may hold a spelled-out word (pending at its end counts).
  bool may_have_spelling() const { return pre_.spell || pre_.pend; }
  void track(char32_t c, std::uint8_t k) {
    pre_.ws |= (k & kPcSpace) && ((pre_.h1 & kPcSpace) || c != U' ');
    pre_.spell |= (pre_.pend && !(k & kPcWord)) ||
                  (c >= 0x80 && (k & kPcSep) && (pre_.h1 & kPcLetter) && !(pre_.h2 & kPcWord)) ||
                  (k & kPcMark);
    pre_.pend = (k & kPcLetter) && (pre_.h1 & kPcSep) && (pre_.h2 & kPcLetter) && !(pre_.h3 & kPcWord);
    pre_.foldable |= (k & kPcFoldable) != 0;
    pre_.h3 = pre_.h2;
    pre_.h2 = pre_.h1;
    pre_.h1 = k;
  }
  // Whether the context steps of the profile would leave the units as they are.
  bool context_unchanged() const {
    return !(steps.has(Step::kWhitespace) && pre_.ws) &&
           !(steps.has(Step::kSeparators) && may_have_spelling()) &&
           !(steps.has(Step::kDigitFolding) && pre_.foldable);
  }

  // collapse_separators drops something only inside a run of one-character words joined by
  // separators, so only where a separator unit directly follows a one-character word (after
  // its marks). False means it would keep every unit.
  static bool may_spell(const UnitSeq& seq, bool digits) {
    const std::size_t n = seq.size();
    for (std::size_t k = 1; k + 1 < n; ++k) {
      const char32_t c = seq.cp(k);
      if (c < 128 ? (norm::kAscii.cls[c] & norm::kClsSeparator) == 0 : norm::separator_end(seq, k) == 0) {
        continue;
      }
      std::size_t p = k - 1;
      while (p > 0 && norm::is_mark(seq.cp(p))) --p;
      // The end of a longer word, the common case, needs no call.
      if (p > 0 && norm::is_word(seq.cp(p - 1), digits)) continue;
      if (norm::single_end(seq, p, digits) == k) return true;
    }
    return false;
  }

  // From this length up normalize_ascii() takes norm::scan_ascii_text(): 16, 32 and 64 bytes
  // gave the same instruction count within 0.2% on real listings; 32 is one AVX2 block.
  static constexpr std::size_t kAsciiSimdMin = 32;

  // On ASCII, NFKC, width, Traditional-Simplified, diacritics, confusables and invisible
  // removal are all no-ops, so only case folding and the context steps remain. One pass (the
  // SIMD scan or a table loop) folds case and turns every whitespace byte into a space (same
  // length, so no map); the context passes run only when that pass says they could change
  // something.
  void normalize_ascii(std::string_view in, NormalizedText& out) {
    const std::size_t n = in.size();
    out.text.resize(n);
    char* t = out.text.data();
    const char* src = in.data();
    const bool ws = steps.has(Step::kWhitespace);
    const bool digits = steps.has(Step::kDigitFolding);
    const bool classes = steps.has(Step::kSeparators) || digits;
    const AsciiMap& map = kAsciiMaps[(fold() ? 1 : 0) + (ws ? 2 : 0)];
    const auto& cls = norm::kAscii.cls;
    const std::uint64_t letter = norm::kClsLetter | (digits ? norm::kClsFoldable : 0);
    const std::uint64_t word = letter | norm::kClsDigit;
    // Branch-free scan for what the context passes need: a run of spaces, two one-character
    // words around a separator (the last five classes sit in `h`, a byte each), a foldable.
    norm::AsciiFound found;
    bool& space_run = found.space_run;
    bool& spell = found.spell;
    std::uint8_t seen = 0;
    std::uint64_t h = 0;
    auto spelled = [&](std::uint64_t h5) {
      return !((h5 >> 32) & word) & !!((h5 >> 24) & letter) & !!((h5 >> 16) & norm::kClsSeparator) &
             !!((h5 >> 8) & letter) & !(h5 & word);
    };
    if (simd_ascii && n >= kAsciiSimdMin &&
        norm::scan_ascii_text(ascii_scan, ascii_tables, in, t, ws, classes, found)) {
      if (found.foldable) seen |= norm::kClsFoldable;
    } else if (classes) {
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

  // The general path without units for the character steps: normalized bytes and, once the
  // first character does not map one-to-one, the offset map are written directly (`DirectText`,
  // runtime/normalize_direct.h). When the decoding loop saw something a context step could
  // change, the context steps then run on the output as units. Same character steps, segments
  // and caches as normalize_general(), so the same output; normalize_general() remains the
  // reference that runs every context step (NormalizerOptions::skip_unchanged_context_steps).
  norm::DirectText direct;

  // A one-code-point segment of a non-ASCII character that gives one code point, as
  // normalize_direct() writes it: the output's UTF-8, its precheck class and the segment's
  // kActed* bits. Direct-mapped by the input code point. In mixed text most non-ASCII
  // characters stand between ASCII bytes ("état", "Hàng"); through chars.run() and
  // direct_emit() each cost ~120 instructions (docs/performance.md).
  struct EmitEntry {
    char32_t key = 0xFFFFFFFF;
    char32_t out = 0;
    std::uint8_t len = 0;  // bytes of out's UTF-8; 0: the steps give other than one code point
    std::uint8_t cls = 0;  // pc_of(out)
    std::uint8_t acted = 0;
    char bytes[4] = {};
  };
  static constexpr int kEmitCacheBits = 10;
  std::vector<EmitEntry> emit_cache = std::vector<EmitEntry>(std::size_t{1} << kEmitCacheBits);

  // Whether the character that ends before s[i] is a segment of its own, as read_segment()
  // would find: the end, ASCII, or a character that starts a segment follows (CJK text is the
  // last kind). An ill-formed or invisible follower is left to read_segment().
  [[gnu::always_inline]] bool segment_of_one(const std::uint8_t* s, std::int64_t i, std::int64_t n,
                                             bool invisible) const {
    if (i >= n || s[i] < 0x80) return true;
    UChar32 d;
    return starts_segment(s, i, n, invisible, d);
  }
  // Whether the non-ASCII character at s[i] starts a segment (not ill-formed, not invisible,
  // a boundary before it); it is decoded into `d`, and `i` moved past it.
  [[gnu::always_inline]] bool starts_segment(const std::uint8_t* s, std::int64_t& i, std::int64_t n,
                                             bool invisible, UChar32& d) const {
    U8_NEXT(s, i, n, d);
    if (d < 0 || (invisible && is_invisible(static_cast<char32_t>(d)))) return false;
    return chars.boundary_before(static_cast<char32_t>(d));
  }

  // The character `c` (>= 0x80, well formed), read from in[b, e), a segment of its own
  // (segment_of_one()). Returns false, having written nothing and noted no acted step, when
  // the steps give other than one code point; the caller then takes the general way.
  [[gnu::always_inline]] bool direct_emit_one(char32_t c, std::uint32_t b, std::uint32_t e) {
    EmitEntry& entry = emit_cache[(static_cast<std::uint32_t>(c) * 2654435761u) >> (32 - kEmitCacheBits)];
    if (entry.key != c) {
      // The segment's own acted bits, kept apart from the text's so far: they are noted below,
      // or, when the caller takes the general way, by its own run of the steps.
      seg_in.assign(1, c);
      const std::uint8_t before = chars.acted();
      chars.reset_acted();
      const std::span<const char32_t> outs = chars.run(seg_in);
      entry.key = c;
      entry.acted = chars.acted();
      entry.len = 0;  // not one code point: remembered too, so the steps run once per character
      chars.reset_acted();
      chars.add_acted(before);
      if (outs.size() == 1) {
        entry.out = outs[0];
        entry.cls = pc_of(outs[0]);
        std::size_t len = 0;
        U8_APPEND_UNSAFE(entry.bytes, len, static_cast<UChar32>(outs[0]));
        entry.len = static_cast<std::uint8_t>(len);
      }
    }
    if (entry.len == 0) return false;
    chars.add_acted(entry.acted);
    track(entry.out, entry.cls);
    direct.code_point(entry.bytes, entry.len, b, e);
    return true;
  }

  void direct_emit(char32_t cp, std::uint32_t b, std::uint32_t e) {
    track(cp, pc_of(cp));
    direct.code_point(cp, b, e);
  }

  void normalize_direct(std::string_view in, NormalizedText& out) {
    const auto* s = reinterpret_cast<const std::uint8_t*>(in.data());
    const std::int64_t n = static_cast<std::int64_t>(in.size());
    const bool invisible = steps.has(Step::kInvisible);
    const AsciiMap& lower = kAsciiMaps[fold() ? 1 : 0];
    pre_ = {};
    direct.begin(out, in.size());
    // The whole text's ASCII folded and classified up front, 32 bytes at a time; each run
    // below is then a copy and a few bitmap tests (runtime/ascii_simd.h).
    if (simd_runs) ascii_scan.scan(ascii_tables, s, in.size());
    std::int64_t i = 0;
    // The character after an ASCII run, decoded to decide where the run ends (below), taken
    // from here instead of decoded again: valid, visible and the start of a segment.
    bool carried = false;
    UChar32 carried_c = 0;
    std::int64_t carried_end = 0;
    while (i < n) {
      if (s[i] < 0x80) {
        // An ASCII run. Its last byte is left to the code below when the non-ASCII character
        // after it may join its segment (a combining mark, an invisible or an ill-formed byte),
        // as normalize_general does; otherwise it is a segment of its own and stays in the run
        // ("Hàng", "état": in mixed text, ~80 instructions saved per non-ASCII character).
        std::int64_t j =
            simd_runs ? static_cast<std::int64_t>(ascii_scan.next_non_ascii(static_cast<std::size_t>(i)))
                      : i + static_cast<std::int64_t>(
                                norm::ascii_run_length(s + i, static_cast<std::size_t>(n - i)));
        if (j < n) {
          carried_end = j;
          carried = starts_segment(s, carried_end, n, invisible, carried_c);
          if (!carried) --j;
        }
        const std::size_t len = static_cast<std::size_t>(j - i);
        char* t = direct.run_at(static_cast<std::size_t>(i), len);
        // track() on a shift register of the last four classes (a byte each, newest lowest).
        norm::AsciiPrecheck pc{pre_.h1 | pre_.h2 << 8 | std::uint32_t{pre_.h3} << 16, false, false, 0,
                               pre_.pend};
        if (simd_runs) {
          if (len > 0) {
            std::memcpy(t, ascii_scan.folded() + i, len);
            ascii_scan.run(ascii_tables, static_cast<std::size_t>(i), static_cast<std::size_t>(j), pc);
          }
        } else {
          norm::ascii_bytes(ascii_tables, s + i, len, t, pc);
        }
        const std::uint32_t h = pc.h;
        const bool ws = pc.two_spaces, spell = pc.spell;
        const std::uint8_t any = pc.any;
        pre_.ws |= ws || (any & kPcOddSpace);
        pre_.spell |= spell;
        pre_.pend = pc.pend;
        pre_.foldable |= (any & kPcFoldable) != 0;
        pre_.h1 = static_cast<std::uint8_t>(h);
        pre_.h2 = static_cast<std::uint8_t>(h >> 8);
        pre_.h3 = static_cast<std::uint8_t>(h >> 16);
        direct.run_done(static_cast<std::size_t>(i), len);
        i = j;
        if (i >= n) break;
      }
      const std::int64_t seg_b = i;
      UChar32 c;
      if (carried) {
        c = carried_c;
        i = carried_end;
        carried = false;
      } else {
        U8_NEXT(s, i, n, c);
      }
      const bool bad = c < 0;
      if (bad) c = 0xFFFD;
      if (invisible && is_invisible(static_cast<char32_t>(c))) continue;
      if (c < 0x80 && (i >= n || s[i] < 0x80)) {
        direct_emit(static_cast<char32_t>(static_cast<unsigned char>(lower.to[c])),
                    static_cast<std::uint32_t>(seg_b), static_cast<std::uint32_t>(i));
        continue;
      }
      const auto b = static_cast<std::uint32_t>(seg_b);
      if (!bad && segment_of_one(s, i, n, invisible) &&
          direct_emit_one(static_cast<char32_t>(c), b, static_cast<std::uint32_t>(i))) {
        continue;
      }
      read_segment(s, i, n, c, bad, invisible);
      const auto e = static_cast<std::uint32_t>(i);
      for (char32_t o : chars.run(seg_in)) direct_emit(o, b, e);
    }
    direct.finish(in.size());
    if (!context_unchanged()) context_steps_direct(in.size(), out);
  }

  // Some context step may act on the finished direct output: the character steps' output is
  // complete, so the context steps run on it as units, as normalize_general() would run them
  // after doing the character steps a second time (on real listings, most of what that path
  // cost). Out of line: inlined, it slowed normalize_direct()'s loop by 3%.
  [[gnu::noinline]] void context_steps_direct(std::size_t in_size, NormalizedText& out) {
    un = norm::units_of(out, units);
    ud = units.data();
    ucap = units.size();
    UnitSeq seq{units, un};
    const bool ran = context_steps_units(seq);
    // Most of the time the prechecks' maybe is a no: the text written is already the result.
    if (!seq.changed) return;
    norm::encode_units({units.data(), seq.n}, in_size, out, out.identity_map && !ran);
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
  // Whether every unit so far maps one-to-one onto the input bytes (see norm::encode_units()). ASCII bytes
  // always do; a segment does when it gives one code point of its own UTF-8 length.
  bool ident = true;
  void note_segment(std::size_t outputs, char32_t first, std::uint32_t b, std::uint32_t e) {
    ident =
        ident && outputs == 1 && static_cast<std::uint32_t>(U8_LENGTH(static_cast<UChar32>(first))) == e - b;
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
          pre.spell |= pre.pend & ((k & kPcWord) == 0);
          pre.pend = ((k & kPcLetter) != 0) & ((pre.h1 & kPcSep) != 0) & ((pre.h2 & kPcLetter) != 0) &
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
          push_unit(static_cast<char32_t>(static_cast<unsigned char>(lower.to[s[i]])),
                    static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1));
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
        char32_t out_c =
            fold() ? static_cast<char32_t>(ascii_lower(static_cast<char>(c))) : static_cast<char32_t>(c);
        push_unit(out_c, static_cast<std::uint32_t>(seg_b), static_cast<std::uint32_t>(i));  // tracks
        continue;
      }
      if (read_segment(s, i, n, c, bad, invisible)) ident = false;
      const auto b = static_cast<std::uint32_t>(seg_b);
      const auto e = static_cast<std::uint32_t>(i);
      const std::span<const char32_t> outs = chars.run(seg_in);
      note_segment(outs.size(), outs.empty() ? 0 : outs[0], b, e);
      for (char32_t o : outs) push_unit(o, b, e);
    }
    UnitSeq seq{units, un};
    const bool changed = context_steps_units(seq);
    norm::encode_units({units.data(), seq.n}, in.size(), out, ident && !changed);
  }

  // Reads into seg_in the segment that starts with `c` (decoded; s[i] is the byte after it): `c`
  // and everything after it that may combine with it. ASCII and ill-formed bytes start their own
  // segment. Invisible characters between the starter and a combining mark join the segment's
  // bytes but not its text (so "e<ZWSP><U+0301>" still composes); returns whether there was one.
  [[gnu::always_inline]] bool read_segment(const std::uint8_t* s, std::int64_t& i, std::int64_t n, UChar32 c,
                                           bool bad, bool invisible) {
    seg_in.clear();
    seg_in.push_back(static_cast<char32_t>(c));
    bool dropped = false;
    for (std::int64_t k = i; !bad && k < n;) {
      UChar32 d;
      U8_NEXT(s, k, n, d);
      if (d < 0x80) break;
      if (invisible && is_invisible(static_cast<char32_t>(d))) {
        dropped = true;
        continue;
      }
      if (chars.boundary_before(static_cast<char32_t>(d))) break;
      seg_in.push_back(static_cast<char32_t>(d));
      i = k;
    }
    return dropped;
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
