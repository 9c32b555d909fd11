// Writes the flagged verdicts `tusk serve` decides into the verdict store (--store), off the
// request path: workers hand each verdict over and go on; one thread appends them in batches,
// one transaction each. The queue is bounded: when the store falls behind, a worker waits for
// room rather than drop a verdict (nothing decided is lost; the wait shows in the latency).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tusk/pack.h"
#include "tusk/verdict.h"

namespace tusk::store {
class Store;
struct NewVerdict;
}  // namespace tusk::store

namespace tusk::serve {

class VerdictRecorder {
 public:
  // Opens its own connection to the store at `url`; throws store::StoreError. `actions`: which
  // actions are kept ("review", "block", "allow").
  VerdictRecorder(const std::string& url, const std::vector<std::string>& actions,
                  std::size_t capacity = 10000);
  ~VerdictRecorder();  // writes what is queued, then stops

  bool keeps(const Verdict& v) const { return v.ok && keep_[static_cast<int>(v.action)]; }
  // Queues the verdict of `record` (its bytes as received); `verdict_json` is what was answered.
  // `done`, when given, is called on the recorder's thread once the verdict's transaction has
  // committed (true) or failed (false): `tusk stream` commits an input offset only after it.
  using Done = std::function<void(bool written)>;
  void add(std::string_view record, const Verdict& v, std::string_view verdict_json, Done done = {});
  // The pack's sources, kept once per digest so that an evidence bundle can reproduce verdicts.
  void pack_activated(const Pack& pack);

  std::size_t written() const;
  std::size_t failed() const;

 private:
  void loop();

  std::unique_ptr<store::Store> db_;
  bool keep_[3] = {false, false, false};
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable has_work_, has_room_;
  std::vector<store::NewVerdict> queue_;
  std::vector<Done> done_;  // parallel to queue_
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> pending_files_;  // digest, sources
  bool stop_ = false;
  std::size_t written_ = 0, failed_ = 0;
  std::thread thread_;
};

}  // namespace tusk::serve
