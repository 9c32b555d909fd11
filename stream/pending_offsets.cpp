#include "stream/pending_offsets.h"

#include <algorithm>

namespace tusk::stream {

bool PendingOffsets::add(std::int64_t offset) {
  if (entries_.empty() || entries_.back().offset < offset) {
    entries_.push_back({offset, false});
    return true;
  }
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), offset,
                                   [](const Entry& e, std::int64_t o) { return e.offset < o; });
  if (it != entries_.end() && it->offset == offset) return false;
  entries_.insert(it, {offset, false});
  return true;
}

std::int64_t PendingOffsets::settle(std::int64_t offset) {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), offset,
                                   [](const Entry& e, std::int64_t o) { return e.offset < o; });
  if (it == entries_.end() || it->offset != offset) return -1;
  it->settled = true;
  std::int64_t next = -1;
  while (!entries_.empty() && entries_.front().settled) {
    next = entries_.front().offset + 1;
    entries_.pop_front();
  }
  return next;
}

}  // namespace tusk::stream
