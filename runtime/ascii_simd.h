// The ASCII inside mixed text, 32 bytes at a time: case folding and the classes the
// normalizer's context-step precheck tracks (runtime/normalize.cpp, `Precheck`). Most of a
// listing's bytes are ASCII even when it has accents or CJK; the scalar loop spent ~3 cycles a
// byte on them, and a SIMD pass per run more on its set-up than on its bytes (docs/performance.md,
// "Scan path").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::runtime::norm {

// The precheck's classes of each ASCII byte (before case folding), as nibble tables: byte x has
// class bit b when (lo[b][x & 15] >> (x >> 4)) & 1. Built once per profile from the scalar table,
// so both paths classify alike by construction.
struct AsciiClassTables {
  static constexpr int kBits = 7;  // the precheck's class bits (kPcSpace .. kPcOddSpace)
  std::uint8_t lo[kBits][16] = {};
  std::uint8_t cls[128] = {};  // the class byte of each folded byte
  bool fold = false;           // fold A-Z to a-z

  // cls[x] for x < 128: the class byte of the (folded) byte x.
  void build(const std::uint8_t (&cls)[128], bool fold_case);
};

// What the scalar loop keeps across bytes: the classes of the three bytes before (newest in the
// low byte of `h`), and what it found so far.
struct AsciiPrecheck {
  std::uint32_t h = 0;
  bool two_spaces = false;  // two whitespace bytes in a row
  // "[not a word] L S L [not a word]" (letter, separator, letter: two one-character words; the
  // end of the text counts as not a word), which every spelled-out word begins with.
  bool spell = false;
  std::uint8_t any = 0;  // OR of every class seen
  // The last byte ended "[not a word] L S L": spell holds if the next is not a word character.
  bool pend = false;
};

// The reference: folds and classifies the n ASCII bytes at `s` into `t` a byte at a time.
void ascii_bytes(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n, char* t,
                 AsciiPrecheck& pc);

// Whether this CPU runs AsciiScan::scan() (AVX2); checked once.
bool ascii_simd_available();

// The position of the first byte >= 0x80 in s[0, n), or n; eight bytes at a time.
std::size_t ascii_run_length(const std::uint8_t* s, std::size_t n);

// The ASCII bytes of a whole text at once, 32 at a time, for the runs of ASCII between other
// characters in mixed text ("Bon état. Hàng còn mới."): a run then costs a few word operations
// instead of a pass of its own, whose set-up cost more than its bytes when runs are short
// (docs/performance.md). Reused across texts; scan() only when ascii_simd_available().
class AsciiScan {
 public:
  // Folds and classifies s[0, n); bytes >= 0x80 are copied as they are and have no class.
  void scan(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n);

  // The folded text: folded()[i] is s[i] case-folded when ASCII.
  const char* folded() const { return fold_.data(); }
  // The first position at or after i whose byte is >= 0x80, or n.
  std::size_t next_non_ascii(std::size_t i) const;
  // What ascii_bytes() finds over the run s[b, e) (b < e, every byte ASCII) from pc: pc.h,
  // pc.two_spaces, pc.spell and pc.pend exactly, and of pc.any the bits kAnyBits.
  void run(const AsciiClassTables& tables, std::size_t b, std::size_t e, AsciiPrecheck& pc) const;
  static constexpr std::uint8_t kAnyBits = 32 | 64;  // the precheck's foldable and odd-space bits
  // The precheck's word, foldable and other-whitespace bits.
  static constexpr std::uint8_t kWordClass = 8, kFoldableClass = 32, kOddSpaceClass = 64;

 private:
  std::size_t n_ = 0;
  std::string fold_;
  // Bit p of word p / 64, for byte position p: a byte >= 0x80; two whitespace bytes ending at p;
  // "[not a word] L S L" ending at p; the byte's class has the foldable, the odd-space bit. A
  // pattern that reaches before a run's start is not valid there (run() takes those from pc.h).
  // rare_ is the union of the last four.
  std::vector<std::uint64_t> non_ascii_, two_spaces_, spell_, foldable_, odd_space_, rare_;
};

// What the byte loops of normalize_ascii() (runtime/normalize.cpp) find in an ASCII text besides
// its folded bytes: two whitespace bytes in a row, a spelled-out word ("[not a word] L S L [not a
// word]"), a foldable byte; the last two only when they read classes (`classes`: the profile
// has the separator or the digit-folding step).
struct AsciiFound {
  bool space_run = false;
  bool spell = false;
  bool foldable = false;
};

// The loops' work on the ASCII text `in` 32 bytes at a time, with `scan`: their byte loops cost
// ~25 instructions a byte, and most real listings are ASCII throughout (docs/performance.md).
// Writes the folded text to t[0, in.size()) and returns true with what the loops would find;
// returns false, having written nothing, for text with whitespace other than U+0020 when `ws`
// (the whitespace step) is on: the scan classifies bytes as written, the loops after that step
// made them spaces. Needs ascii_simd_available().
bool scan_ascii_text(AsciiScan& scan, const AsciiClassTables& tables, std::string_view in, char* t, bool ws,
                     bool classes, AsciiFound& found);

}  // namespace tusk::runtime::norm
