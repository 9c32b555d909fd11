// The output of the normalizer's direct path (runtime/normalize.cpp): normalized bytes written
// straight into a NormalizedText, and its offset map only from the first byte that does not map
// one-to-one onto the input. Until then the map is the identity and is not written, so most text
// (accents kept, CJK, ASCII) never writes one. Internal to runtime/normalize.cpp.
#pragma once

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "runtime/normalize.h"

namespace tusk::runtime::norm {

class DirectText {
 public:
  // Starts writing into `out` for an input of in_size bytes.
  void begin(NormalizedText& out, std::size_t in_size) {
    out_ = &out;
    mapped_ = false;
    pos_ = 0;
    cap_ = in_size + 16;
    out.text.resize(cap_);
    text_ = out.text.data();
  }

  // Room for `len` bytes that come one-to-one from input bytes [b, b + len): where to write
  // them; run_done() then records them.
  [[gnu::always_inline]] char* run_at(std::size_t b, std::size_t len) {
    reserve(len);
    if (!mapped_ && pos_ != b) materialize();
    return text_ + pos_;
  }
  [[gnu::always_inline]] void run_done(std::size_t b, std::size_t len) {
    if (mapped_) {
      for (std::size_t k = 0; k < len; ++k) {
        begin_[pos_ + k] = static_cast<std::uint32_t>(b + k);
        end_[pos_ + k] = static_cast<std::uint32_t>(b + k + 1);
      }
    }
    pos_ += len;
  }

  // The UTF-8 bytes[0, len) (len <= 4; four bytes readable) of one output code point, from
  // input bytes [b, e).
  [[gnu::always_inline]] void code_point(const char* bytes, std::size_t len, std::uint32_t b,
                                         std::uint32_t e) {
    reserve(4);
    const std::size_t start = pos_;
    std::memcpy(text_ + pos_, bytes, 4);
    pos_ += len;
    if (!mapped_ && (b != start || e - b != len)) materialize();
    if (mapped_) {
      for (std::size_t k = start; k < pos_; ++k) {
        begin_[k] = b;
        end_[k] = e;
      }
    }
  }
  void code_point(char32_t cp, std::uint32_t b, std::uint32_t e) {
    char bytes[4] = {};
    std::size_t len = 0;
    U8_APPEND_UNSAFE(bytes, len, static_cast<UChar32>(cp));
    code_point(bytes, len, b, e);
  }

  // Ends the text of an input of in_size bytes: sizes it, and closes or drops the map.
  void finish(std::size_t in_size) {
    NormalizedText& out = *out_;
    // Dropped invisible characters at the end leave the lengths unequal: map them too.
    if (!mapped_ && pos_ != in_size) materialize();
    out.text.resize(pos_);
    out.identity_map = !mapped_;
    if (mapped_) {
      out.orig_begin.resize(pos_ + 1);
      out.orig_end.resize(pos_ + 1);
      out.orig_begin[pos_] = static_cast<std::uint32_t>(in_size);
      out.orig_end[pos_] = static_cast<std::uint32_t>(in_size);
    } else {
      out.orig_begin.clear();
      out.orig_end.clear();
    }
  }

 private:
  // The test inline, the growth (rare: the text is sized for the input) out of line.
  [[gnu::always_inline]] void reserve(std::size_t more) {
    if (pos_ + more > cap_) grow(more);
  }
  [[gnu::noinline]] void grow(std::size_t more) {
    cap_ = std::max(pos_ + more, cap_ * 2);
    out_->text.resize(cap_);
    text_ = out_->text.data();
    if (mapped_) {
      out_->orig_begin.resize(cap_ + 1);
      out_->orig_end.resize(cap_ + 1);
      begin_ = out_->orig_begin.data();
      end_ = out_->orig_end.data();
    }
  }
  // Writes the map of the identity prefix: each character's bytes map to its own range.
  [[gnu::noinline]] void materialize() {
    out_->orig_begin.resize(cap_ + 1);
    out_->orig_end.resize(cap_ + 1);
    begin_ = out_->orig_begin.data();
    end_ = out_->orig_end.data();
    for (std::size_t k = 0; k < pos_;) {
      const std::size_t len = U8_COUNT_TRAIL_BYTES_UNSAFE(static_cast<std::uint8_t>(text_[k])) + 1;
      for (std::size_t m = k; m < k + len; ++m) {
        begin_[m] = static_cast<std::uint32_t>(k);
        end_[m] = static_cast<std::uint32_t>(k + len);
      }
      k += len;
    }
    mapped_ = true;
  }

  NormalizedText* out_ = nullptr;
  char* text_ = nullptr;  // out_->text
  std::uint32_t* begin_ = nullptr;
  std::uint32_t* end_ = nullptr;
  std::size_t pos_ = 0, cap_ = 0;
  bool mapped_ = false;
};

}  // namespace tusk::runtime::norm
