#include "runtime/ascii_simd.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tusk::runtime::norm {

void AsciiClassTables::build(const std::uint8_t (&classes)[128], bool fold_case) {
  fold = fold_case;
  std::memcpy(cls, classes, sizeof cls);
  for (auto& row : lo) std::memset(row, 0, sizeof row);
  for (int x = 0; x < 128; ++x) {
    const int c = fold && x >= 'A' && x <= 'Z' ? x + 32 : x;
    for (int b = 0; b < kBits; ++b) {
      if ((classes[c] >> b) & 1) lo[b][x & 15] = static_cast<std::uint8_t>(lo[b][x & 15] | (1u << (x >> 4)));
    }
  }
}

namespace {

// The precheck's tests on the shift register (runtime/normalize.cpp, `track`): two spaces;
// letter, separator, letter after something that is not a word character.
constexpr std::uint32_t kSpace = 1, kSep = 2, kLetter = 4, kWord = 8;
constexpr std::uint32_t kTwoSpaces = kSpace | kSpace << 8;
constexpr std::uint32_t kSpellMask = kLetter | kSep << 8 | kLetter << 16 | kWord << 24;
constexpr std::uint32_t kSpell = kLetter | kSep << 8 | kLetter << 16;

}  // namespace

void ascii_bytes(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n, char* t,
                 AsciiPrecheck& pc) {
  std::uint32_t h = pc.h;
  bool ws = false, spell = false, pend = pc.pend;
  std::uint8_t any = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const auto c = static_cast<unsigned char>(tables.fold && s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
    t[k] = static_cast<char>(c);
    const std::uint8_t cls = tables.cls[c & 0x7F];
    spell |= pend && (cls & kWord) == 0;
    h = (h << 8) | cls;
    ws |= (h & kTwoSpaces) == kTwoSpaces;
    pend = (h & kSpellMask) == kSpell;
    any |= cls;
  }
  pc.h = h;
  pc.two_spaces |= ws;
  pc.spell |= spell;
  pc.pend = pend;
  pc.any |= any;
}

std::size_t ascii_run_length(const std::uint8_t* s, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, s + i, 8);
      w &= 0x8080808080808080ull;
      if (w != 0) return i + static_cast<std::size_t>(std::countr_zero(w) >> 3);
    }
  }
  while (i < n && s[i] < 0x80) ++i;
  return i;
}

namespace {

// Whether any bit of bm in positions [b, e) is set (b < e).
[[gnu::always_inline]] inline bool any_bit(const std::vector<std::uint64_t>& bm, std::size_t b,
                                           std::size_t e) {
  const std::size_t wb = b >> 6, we = (e - 1) >> 6;
  const std::uint64_t first = ~std::uint64_t{0} << (b & 63);
  const std::uint64_t last = ~std::uint64_t{0} >> (63 - ((e - 1) & 63));
  if (wb == we) return (bm[wb] & first & last) != 0;
  if ((bm[wb] & first) != 0) return true;
  for (std::size_t w = wb + 1; w < we; ++w) {
    if (bm[w] != 0) return true;
  }
  return (bm[we] & last) != 0;
}

}  // namespace

std::size_t AsciiScan::next_non_ascii(std::size_t i) const {
  if (i >= n_) return n_;
  std::size_t w = i >> 6;
  std::uint64_t bits = non_ascii_[w] & (~std::uint64_t{0} << (i & 63));
  while (bits == 0) {
    if (++w >= non_ascii_.size()) return n_;
    bits = non_ascii_[w];
  }
  return std::min(n_, (w << 6) + static_cast<std::size_t>(std::countr_zero(bits)));
}

void AsciiScan::run(const AsciiClassTables& tables, std::size_t b, std::size_t e, AsciiPrecheck& pc) const {
  // The first three bytes against the history in pc.h, a byte at a time; from the fourth on,
  // every pattern lies inside the run, where the bitmaps are exact.
  const auto* f = reinterpret_cast<const std::uint8_t*>(fold_.data());
  auto cls = [&](std::size_t p) { return tables.cls[f[p] & 0x7F]; };
  std::uint32_t h = pc.h;
  bool ws = false, spell = false, pend = pc.pend;
  const std::size_t head = std::min<std::size_t>(e - b, 3);
  for (std::size_t p = b; p < b + head; ++p) {
    spell |= pend && (cls(p) & kWord) == 0;
    h = (h << 8) | cls(p);
    ws |= (h & kTwoSpaces) == kTwoSpaces;
    pend = (h & kSpellMask) == kSpell;
  }
  if (e - b > 3) {
    // The head's last byte may still wait for the byte after it.
    spell |= pend && (cls(b + 3) & kWord) == 0;
    h = std::uint32_t{cls(e - 4)} << 24 | std::uint32_t{cls(e - 3)} << 16 | std::uint32_t{cls(e - 2)} << 8 |
        cls(e - 1);
  }
  // Most runs have nothing to report: one test of the union first.
  if (any_bit(rare_, b, e)) {
    if (e - b > 3) {
      ws |= any_bit(two_spaces_, b + 3, e);
      // "[not a word] L S L" ending at p, exact from b + 3 on: a spelled-out word when the
      // byte after p is not a word character (p = e - 1 waits for the next run, below). Rare
      // in honest text ("T-Shirt" has one), so taken bit by bit.
      for (std::size_t w = (b + 3) >> 6; w <= (e - 1) >> 6 && !spell; ++w) {
        std::uint64_t bits = spell_[w];
        if (w == (b + 3) >> 6) bits &= ~std::uint64_t{0} << ((b + 3) & 63);
        for (; bits != 0; bits &= bits - 1) {
          const std::size_t p = (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
          if (p + 1 >= e) break;
          if ((cls(p + 1) & kWord) == 0) {
            spell = true;
            break;
          }
        }
      }
    }
    if (any_bit(foldable_, b, e)) pc.any |= 32;
    if (any_bit(odd_space_, b, e)) pc.any |= 64;
  }
  if (e - b > 3) pend = ((spell_[(e - 1) >> 6] >> ((e - 1) & 63)) & 1) != 0;
  pc.h = h;
  pc.two_spaces |= ws;
  pc.spell |= spell;
  pc.pend = pend;
}

bool scan_ascii_text(AsciiScan& scan, const AsciiClassTables& tables, std::string_view in, char* t, bool ws,
                     bool classes, AsciiFound& found) {
  const std::size_t n = in.size();
  scan.scan(tables, reinterpret_cast<const std::uint8_t*>(in.data()), n);
  AsciiPrecheck pc{};  // h = 0: nothing before the text, as in the byte loops
  scan.run(tables, 0, n, pc);
  if (ws && (pc.any & AsciiScan::kOddSpaceClass) != 0) return false;
  std::memcpy(t, scan.folded(), n);
  found.space_run = pc.two_spaces;
  // A spelled-out word pending at the end of the text is one: the end is not a word.
  found.spell = classes && (pc.spell || pc.pend);
  found.foldable = classes && (pc.any & AsciiScan::kFoldableClass) != 0;
  return true;
}

#if defined(__x86_64__)

bool ascii_simd_available() {
  static const bool kAvx2 = __builtin_cpu_supports("avx2") != 0;
  return kAvx2;
}

namespace {

// The precheck's class bits, as bit numbers (runtime/normalize.cpp keeps the same values).
constexpr int kSpaceBit = 0, kSepBit = 1, kLetterBit = 2, kWordBit = 3;

}  // namespace

// The constants of AsciiScan::scan(), in registers across its blocks.
struct BlockConsts {
  __m256i nibble, zero, hibit, before_a, after_z, case_bit;
  __m256i tab[AsciiClassTables::kBits];
  bool fold;
};

// One 32-byte block: its class masks into m (shifted to its half of the word), its high bits
// into `high`, its folded bytes stored at `to`. Inlined into both of scan()'s cases: with the
// masks in an array indexed by the half, the compiler kept them in memory (~30% of the scan).
__attribute__((target("avx2"), always_inline)) inline void classify_block(
    const BlockConsts& k, __m256i v, std::uint32_t keep, int shift,
    std::uint64_t (&m)[AsciiClassTables::kBits], std::uint64_t& high, char* to) {
  // Bytes >= 0x80 index a zero of `hibit`: they have no class.
  const __m256i lo = _mm256_and_si256(v, k.nibble);
  const __m256i hb = _mm256_shuffle_epi8(k.hibit, _mm256_and_si256(_mm256_srli_epi16(v, 4), k.nibble));
#pragma GCC unroll 8
  for (int b = 0; b < AsciiClassTables::kBits; ++b) {
    const __m256i x = _mm256_and_si256(_mm256_shuffle_epi8(k.tab[b], lo), hb);
    const std::uint32_t mb =
        ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, k.zero))) & keep;
    m[b] |= std::uint64_t{mb} << shift;
  }
  high |= std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(v)) & keep} << shift;
  if (k.fold) {
    const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(v, k.before_a), _mm256_cmpgt_epi8(k.after_z, v));
    v = _mm256_or_si256(v, _mm256_and_si256(upper, k.case_bit));
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), v);
}

__attribute__((target("avx2"))) void AsciiScan::scan(const AsciiClassTables& tables, const std::uint8_t* s,
                                                     std::size_t n) {
  constexpr int kBits = AsciiClassTables::kBits;
  constexpr int kFoldableBit = 5, kOddSpaceBit = 6;
  n_ = n;
  const std::size_t words = n / 64 + 1;
  fold_.resize(words * 64);  // every block is stored whole
  for (auto* bm : {&non_ascii_, &two_spaces_, &spell_, &foldable_, &odd_space_, &rare_}) bm->resize(words);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i hibit = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16,
                                         32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
  __m256i tab[kBits];
  for (int b = 0; b < kBits; ++b) {
    tab[b] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(tables.lo[b])));
  }
  const __m256i before_a = _mm256_set1_epi8('A' - 1);
  const __m256i after_z = _mm256_set1_epi8('Z' + 1);
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  BlockConsts k{nibble, zero, hibit, before_a, after_z, case_bit, {}, tables.fold};
  for (int b = 0; b < kBits; ++b) k.tab[b] = tab[b];
  char* fold = fold_.data();
  std::uint64_t prev_sp = 0, prev_sep = 0, prev_letter = 0, prev_word = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t m[kBits] = {};
    std::uint64_t high = 0;
    const std::size_t at = w * 64;
    if (at + 64 <= n) {
      // A whole word, both halves straight from the text (the masks stay in registers).
      classify_block(k, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + at)), ~0u, 0, m, high,
                     fold + at);
      classify_block(k, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + at + 32)), ~0u, 32, m, high,
                     fold + at + 32);
    } else {
      for (std::size_t half = 0; half < 2; ++half) {
        const std::size_t h_at = at + half * 32;
        if (h_at >= n) break;
        // The last block is read from a copy: the text may end at a page's end.
        if (h_at + 32 <= n) {
          classify_block(k, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + h_at)), ~0u,
                         static_cast<int>(32 * half), m, high, fold + h_at);
        } else {
          alignas(32) std::uint8_t tail[32] = {};
          std::memcpy(tail, s + h_at, n - h_at);
          classify_block(k, _mm256_load_si256(reinterpret_cast<const __m256i*>(tail)), (1u << (n - h_at)) - 1,
                         static_cast<int>(32 * half), m, high, fold + h_at);
        }
      }
    }
    const std::uint64_t sp = m[kSpaceBit], sep = m[kSepBit], letter = m[kLetterBit], word = m[kWordBit];
    non_ascii_[w] = high;
    two_spaces_[w] = sp & (sp << 1 | prev_sp >> 63);
    spell_[w] = letter & (sep << 1 | prev_sep >> 63) & (letter << 2 | prev_letter >> 62) &
                ~(word << 3 | prev_word >> 61);
    foldable_[w] = m[kFoldableBit];
    odd_space_[w] = m[kOddSpaceBit];
    rare_[w] = two_spaces_[w] | spell_[w] | foldable_[w] | odd_space_[w];
    prev_sp = sp;
    prev_sep = sep;
    prev_letter = letter;
    prev_word = word;
  }
}

#else

bool ascii_simd_available() { return false; }

void AsciiScan::scan(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n) {
  // The same bitmaps a byte at a time, for CPUs without AVX2 (normalize.cpp does not call this
  // there; the unit test does).
  n_ = n;
  const std::size_t words = n / 64 + 1;
  fold_.assign(words * 64, '\0');
  for (auto* bm : {&non_ascii_, &two_spaces_, &spell_, &foldable_, &odd_space_, &rare_}) bm->assign(words, 0);
  std::uint32_t h = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const std::uint8_t c = s[p];
    const std::uint64_t bit = std::uint64_t{1} << (p & 63);
    if (c >= 0x80) {
      fold_[p] = static_cast<char>(c);
      non_ascii_[p >> 6] |= bit;
      h <<= 8;
      continue;
    }
    const auto f = static_cast<std::uint8_t>(tables.fold && c >= 'A' && c <= 'Z' ? c + 32 : c);
    fold_[p] = static_cast<char>(f);
    const std::uint8_t k = tables.cls[f];
    h = (h << 8) | k;
    if ((h & kTwoSpaces) == kTwoSpaces) two_spaces_[p >> 6] |= bit;
    if ((h & kSpellMask) == kSpell) spell_[p >> 6] |= bit;
    if (k & 32) foldable_[p >> 6] |= bit;
    if (k & 64) odd_space_[p >> 6] |= bit;
  }
  for (std::size_t w = 0; w < words; ++w)
    rare_[w] = two_spaces_[w] | spell_[w] | foldable_[w] | odd_space_[w];
}

#endif

}  // namespace tusk::runtime::norm
