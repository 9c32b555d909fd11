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

void ascii_bytes(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n, char* t,
                 AsciiPrecheck& pc) {
  // The precheck's tests on the shift register (runtime/normalize.cpp, `track`): two spaces;
  // letter, separator, letter after something that is not a word character.
  constexpr std::uint32_t kSpace = 1, kSep = 2, kLetter = 4, kWord = 8;
  constexpr std::uint32_t kTwoSpaces = kSpace | kSpace << 8;
  constexpr std::uint32_t kSpellMask = kLetter | kSep << 8 | kLetter << 16 | kWord << 24;
  constexpr std::uint32_t kSpell = kLetter | kSep << 8 | kLetter << 16;
  std::uint32_t h = pc.h;
  bool ws = false, spell = false;
  std::uint8_t any = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const auto c = static_cast<unsigned char>(tables.fold && s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
    t[k] = static_cast<char>(c);
    const std::uint8_t cls = tables.cls[c & 0x7F];
    h = (h << 8) | cls;
    ws |= (h & kTwoSpaces) == kTwoSpaces;
    spell |= (h & kSpellMask) == kSpell;
    any |= cls;
  }
  pc.h = h;
  pc.two_spaces |= ws;
  pc.spell |= spell;
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

#if defined(__x86_64__)

bool ascii_simd_available() {
  static const bool kAvx2 = __builtin_cpu_supports("avx2") != 0;
  return kAvx2;
}

namespace {

// The precheck's class bits, as bit numbers (runtime/normalize.cpp keeps the same values).
constexpr int kSpaceBit = 0, kSepBit = 1, kLetterBit = 2, kWordBit = 3;

}  // namespace

__attribute__((target("avx2"))) std::size_t ascii_blocks(const AsciiClassTables& tables,
                                                         const std::uint8_t* s, std::size_t n,
                                                         std::size_t avail, char* t, AsciiPrecheck& pc) {
  constexpr int kBits = AsciiClassTables::kBits;
  constexpr std::size_t kMinPartial = 12;
  if (n < kMinPartial || avail < 32) return 0;
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  // Byte value 1 << (x >> 4) for the high nibbles of ASCII (0..7).
  const __m256i hibit = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16,
                                         32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
  __m256i tab[kBits];
  for (int b = 0; b < kBits; ++b) {
    tab[b] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(tables.lo[b])));
  }
  const __m256i before_a = _mm256_set1_epi8('A' - 1);
  const __m256i after_z = _mm256_set1_epi8('Z' + 1);
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  std::size_t i = 0;
  alignas(32) char last[32];
  while (i < n) {
    // A last block shorter than 32 bytes is read whole from the bytes after the run (the caller
    // guarantees them) and its masks cut to the run; it is written through a buffer. Below
    // kMinPartial bytes the byte loop is cheaper.
    const std::size_t len = std::min<std::size_t>(32, n - i);
    if (i + 32 > avail || len < kMinPartial) break;
    const std::uint32_t keep = len == 32 ? 0xFFFFFFFFu : (1u << len) - 1;
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    const __m256i lo = _mm256_and_si256(v, nibble);
    const __m256i hb = _mm256_shuffle_epi8(hibit, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
    std::uint32_t m[kBits];
    for (int b = 0; b < kBits; ++b) {
      const __m256i x = _mm256_and_si256(_mm256_shuffle_epi8(tab[b], lo), hb);
      m[b] = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero))) & keep;
    }
    if (tables.fold) {
      const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(v, before_a), _mm256_cmpgt_epi8(after_z, v));
      v = _mm256_or_si256(v, _mm256_and_si256(upper, case_bit));
    }
    char* out = t + i;
    if (len == 32) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
    } else {
      _mm256_store_si256(reinterpret_cast<__m256i*>(last), v);
      std::memcpy(out, last, len);
    }
    for (int b = 0; b < kBits; ++b) pc.any = static_cast<std::uint8_t>(pc.any | (m[b] != 0 ? 1u << b : 0u));
    // Bit j + 3 of an extended mask is block position j; bits 0..2 are the three bytes before
    // (their classes are the low three bytes of pc.h, newest lowest).
    const auto ext = [&](int b) {
      return std::uint64_t{m[b]} << 3 | ((pc.h >> (16 + b)) & 1u) | ((pc.h >> (8 + b)) & 1u) << 1 |
             ((pc.h >> b) & 1u) << 2;
    };
    const std::uint64_t sp = ext(kSpaceBit), sep = ext(kSepBit), letter = ext(kLetterBit),
                        word = ext(kWordBit);
    pc.two_spaces |= ((sp >> 3) & (sp >> 2) & keep) != 0;
    pc.spell |= ((letter >> 3) & (sep >> 2) & (letter >> 1) & ~word & keep) != 0;
    for (std::size_t k = len < 4 ? 0 : len - 4; k < len; ++k) {
      pc.h = pc.h << 8 | tables.cls[static_cast<unsigned char>(out[k])];
    }
    i += len;
  }
  return i;
}

#else

bool ascii_simd_available() { return false; }

std::size_t ascii_blocks(const AsciiClassTables&, const std::uint8_t*, std::size_t, std::size_t, char*,
                         AsciiPrecheck&) {
  return 0;
}

#endif

}  // namespace tusk::runtime::norm
