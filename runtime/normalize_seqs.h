// The two sequences the context steps (runtime/normalize_context.h) run over: code point units
// with their original byte ranges (the general path), and ASCII bytes with an offset map that
// stays implicit until a step changes the length (the ASCII path). Internal to
// runtime/normalize.cpp; not part of the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tusk::runtime::norm {

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

}  // namespace tusk::runtime::norm
