// The offsets of one input partition between consumption and acknowledgement. At-least-once
// delivery commits an offset only once its message and every message before it are settled, so
// the committable offset is one past the longest settled prefix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace tusk::stream {

class PendingOffsets {
 public:
  // Adds a consumed offset; returns false when it is already pending (a message consumed twice).
  // Offsets arrive in increasing order within an assignment, which makes this an append; an
  // older one (a seek back) is inserted in its place.
  bool add(std::int64_t offset);

  // Settles `offset`. Returns the offset to commit next (one past the settled prefix) when the
  // prefix grew, else -1: the offset is not the oldest pending, or is not pending at all.
  std::int64_t settle(std::int64_t offset);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::int64_t offset;
    bool settled;
  };
  // In offset order. A deque, not a map: a message costs an append and a pop at the front, with
  // no node to allocate, and settling finds its entry by binary search.
  std::deque<Entry> entries_;
};

}  // namespace tusk::stream
