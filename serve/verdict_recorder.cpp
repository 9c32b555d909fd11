#include "serve/verdict_recorder.h"

#include <fmt/format.h>

#include "serve/log.h"
#include "store/evidence.h"
#include "store/store.h"

namespace tusk::serve {

VerdictRecorder::VerdictRecorder(const std::string& url, const std::vector<std::string>& actions,
                                 std::size_t capacity)
    : db_(store::Store::open(url)), capacity_(capacity) {
  for (const auto& a : actions) keep_[a == "allow" ? 0 : a == "review" ? 1 : 2] = true;
  thread_ = std::thread([this] { loop(); });
}

VerdictRecorder::~VerdictRecorder() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  has_work_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void VerdictRecorder::add(std::string_view record, const Verdict& v, std::string_view verdict_json,
                          Done done) {
  store::NewVerdict n = store::NewVerdict::from(record, v, verdict_json);
  n.received_at = store::utc_now();
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return queue_.size() < capacity_ || stop_; });
  queue_.push_back(std::move(n));
  done_.push_back(std::move(done));
  lock.unlock();
  has_work_.notify_one();
}

void VerdictRecorder::pack_activated(const Pack& pack) {
  // Copied now (a later reload may release the pack); written by the recorder's thread.
  auto files = store::sources_of(pack);
  {
    std::lock_guard lock(mutex_);
    pending_files_.emplace_back(pack.info().digest, std::move(files));
  }
  has_work_.notify_one();
}

std::size_t VerdictRecorder::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::size_t VerdictRecorder::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void VerdictRecorder::loop() {
  for (;;) {
    std::vector<store::NewVerdict> batch;
    std::vector<Done> done;
    std::vector<std::pair<std::string, std::map<std::string, std::string>>> files;
    {
      std::unique_lock lock(mutex_);
      has_work_.wait(lock, [&] { return stop_ || !queue_.empty() || !pending_files_.empty(); });
      if (queue_.empty() && pending_files_.empty() && stop_) return;
      batch.swap(queue_);
      done.swap(done_);
      files.swap(pending_files_);
    }
    has_room_.notify_all();
    for (auto& [digest, f] : files) {
      try {
        db_->put_pack(digest, f);
      } catch (const std::exception& e) {
        log("error", "cannot keep the pack's sources in the verdict store",
            {{"digest", digest}, {"error", e.what()}});
      }
    }
    if (batch.empty()) continue;
    bool ok = true;
    try {
      db_->add_verdicts(batch);
      std::lock_guard lock(mutex_);
      written_ += batch.size();
    } catch (const std::exception& e) {
      ok = false;
      // Not lost silently: the decision log (if on) still has them, and the count is exported.
      log("error", "cannot write verdicts to the verdict store",
          {{"error", e.what()}, raw_field("verdicts", std::to_string(batch.size()))});
      std::lock_guard lock(mutex_);
      failed_ += batch.size();
    }
    for (auto& d : done) {
      if (d) d(ok);
    }
  }
}

}  // namespace tusk::serve
