// The embedded store's own write-ahead log (docs/accounts.md, "Write path"). apply() appends one
// record per batch — the new value of every entity the batch changed — with one write() call and
// returns: the bytes are in the operating system, so a killed process loses nothing that
// returned. The engine (RocksDB, LMDB, SQLite) receives the changed entities later, many batches
// at once, and a segment of the log is deleted only once the engine holds everything in it
// durably. Replaying a record puts whole values, so replaying one twice changes nothing.
//
// DIR/log/<16 digits>.log, in order. A record: u32 payload length, u64 checksum of the payload,
// the payload: per entity a byte (0 put, 1 erase), the key (varint length, bytes) and for a put
// the value (u32 length, bytes: fixed, so that a value is encoded in place after it).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tusk::accounts {

class StateLog {
 public:
  // Opens (creating) the directory; writes nothing until start().
  explicit StateLog(std::string dir);
  ~StateLog();
  StateLog(const StateLog&) = delete;
  StateLog& operator=(const StateLog&) = delete;

  // Every entity of every record of every segment, in order. A record cut off or damaged ends its
  // segment: only a record that was never acknowledged, or was not yet synced when the machine
  // lost power, can be in that state. Throws StateError when a segment cannot be read.
  void replay(const std::function<void(std::string_view key, std::string_view value, bool erase)>& f) const;
  // Deletes every segment (the engine holds their contents durably) and opens a new one.
  void start();

  // One record: begin(), add() per entity, commit(). The caller serializes records.
  void begin();
  void add(std::string_view key, std::string_view value, bool erase);
  // A put whose value the caller appends to the returned buffer (no copy of the value), then
  // end_put().
  std::string& begin_put(std::string_view key);
  void end_put();
  // One write() of the record; with `sync`, fdatasync() too. Throws StateError.
  void commit(bool sync);
  // Bytes written to the current segment.
  std::uint64_t bytes() const { return bytes_; }

  // Ends the current segment and opens the next; returns the ended segment's number. Records
  // committed after it go to the new segment. Call under the same lock as commit(). With
  // `durable_now`, the new segment's name is synced before it returns (records synced into it
  // must survive a power loss at once); otherwise by sync_ended().
  std::uint64_t rotate(bool durable_now);
  // Makes the ended segments durable (fdatasync) and the new one's name (fsync of the directory).
  void sync_ended();
  // fdatasync() of every record so far; callable beside commit() from another thread.
  void sync();
  // Deletes the segments up to `last` (ended ones): the engine holds their contents durably.
  void drop_through(std::uint64_t last);

 private:
  std::string path_of(std::uint64_t n) const;
  std::vector<std::uint64_t> segments() const;
  void open_segment(std::uint64_t n);
  void remove(std::uint64_t n) const;

  std::string dir_;
  std::string record_;        // the record being built; reused
  std::size_t value_at_ = 0;  // begin_put(): where the value's length goes
  std::mutex fd_mu_;          // fd_ and ended_: rotate() swaps fd_ while sync() may run
  int fd_ = -1;
  std::uint64_t current_ = 0;
  std::uint64_t bytes_ = 0;
  std::vector<int> ended_;  // descriptors of ended segments, open until sync_ended()
};

}  // namespace tusk::accounts
