// The ASCII runs inside mixed text, 32 bytes at a time: case folding and the classes the
// normalizer's context-step precheck tracks (runtime/normalize.cpp, `Precheck`). Most of a
// listing's bytes are ASCII even when it has accents or CJK; the scalar loop spent ~3 cycles a
// byte on them (docs/performance.md, "Scan path").
#pragma once

#include <cstddef>
#include <cstdint>

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
  bool spell = false;       // "[not a word] L S L" (letter, separator, letter)
  std::uint8_t any = 0;     // OR of every class seen
};

// The reference: folds and classifies the n ASCII bytes at `s` into `t` a byte at a time.
void ascii_bytes(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n, char* t,
                 AsciiPrecheck& pc);

// Whether this CPU runs ascii_blocks() (AVX2); checked once.
bool ascii_simd_available();

// Folds and classifies the n ASCII bytes at `s` into `t`, 32 at a time, updating `pc` as the
// scalar loop would byte by byte; returns the bytes done: n, or fewer when a block would read
// past `avail` (the bytes readable at `s`, n or more), the rest being left to the caller.
// Call only when ascii_simd_available().
std::size_t ascii_blocks(const AsciiClassTables& tables, const std::uint8_t* s, std::size_t n,
                         std::size_t avail, char* t, AsciiPrecheck& pc);

// The position of the first byte >= 0x80 in s[0, n), or n; eight bytes at a time.
std::size_t ascii_run_length(const std::uint8_t* s, std::size_t n);

}  // namespace tusk::runtime::norm
