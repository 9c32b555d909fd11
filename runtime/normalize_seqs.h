// The two sequences the context steps (runtime/normalize_context.h) run over: code point units
// with their original byte ranges (the general and direct paths), and ASCII bytes with an offset
// map that stays implicit until a step changes the length (the ASCII path); and the conversions
// between units and normalized text. Internal to runtime/normalize.cpp; not part of the API.
#pragma once

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/normalize.h"

namespace tusk::runtime::norm {

struct Unit {
  char32_t cp;
  std::uint32_t b;  // original byte range of the segment this code point came from
  std::uint32_t e;
};

// Compaction over code point units (see runtime/normalize_context.h for the contract).
// `n` units of `u` are in use: the vector only grows, so that reuse costs no initialization.
// `changed` says whether a step rewrote, dropped or merged any unit: when none did, text the
// units were read from is already the result (the direct path keeps it).
struct UnitSeq {
  std::vector<Unit>& u;
  std::size_t n;
  std::size_t w = 0;
  bool changed = false;
  std::size_t size() const { return n; }
  char32_t cp(std::size_t i) const { return u[i].cp; }
  void set_cp(std::size_t i, char32_t c) {
    changed |= u[i].cp != c;
    u[i].cp = c;
  }
  void keep(std::size_t i) { u[w++] = u[i]; }
  void keep_as(std::size_t i, char32_t c) {
    changed |= u[i].cp != c;
    u[w] = u[i];
    u[w++].cp = c;
  }
  void drop(std::size_t) { changed = true; }
  void merge(std::size_t i) {
    changed = true;
    u[w - 1].e = u[i].e;
  }
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

// The units of a finished normalized text, into `units` (grown, never shrunk): its code points,
// each with the input range the map gives its first byte. Returns how many.
inline std::size_t units_of(const NormalizedText& t, std::vector<Unit>& units) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(t.text.data());
  const std::size_t n = t.text.size();
  if (units.size() < n + 1) units.resize(n + 1);
  Unit* ud = units.data();
  std::size_t un = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t k = i;
    UChar32 c;
    U8_NEXT_UNSAFE(s, i, c);
    const auto b = static_cast<std::uint32_t>(t.identity_map ? k : t.orig_begin[k]);
    const auto e = static_cast<std::uint32_t>(t.identity_map ? i : t.orig_end[k]);
    ud[un++] = {static_cast<char32_t>(c), b, e};
  }
  return un;
}
// Writes `used` as the normalized text of an input of in_size bytes: UTF-8 and, unless every
// unit maps one-to-one onto the input bytes, the offset map. `known_identity`: the caller knows
// they do, so the sizing pass is skipped and no map is written.
inline void encode_units(std::span<const Unit> used, std::size_t in_size, NormalizedText& out,
                         bool known_identity) {
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
}  // namespace tusk::runtime::norm
