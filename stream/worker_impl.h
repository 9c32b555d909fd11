// Inside `tusk stream`'s worker (stream/worker.h): the Worker class and what its threads share.
// Its code is split by thread: worker.cpp (setup, callbacks, the run loop), worker_consume.cpp
// (the consumer thread and acknowledgements), worker_lanes.cpp (the scanning threads) and
// worker_side_port.cpp (/metrics and /healthz).
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "serve/pack_location.h"
#include "serve/verdict_recorder.h"
#include "stream/http.h"
#include "stream/metrics.h"
#include "stream/pending_offsets.h"
#include "stream/worker.h"
#include "tusk/engine.h"

namespace tusk::stream {

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// One input partition's offsets between consumption and commit. An offset is committable once
// its output is acknowledged and so is every offset before it.
struct Partition {
  Partition(std::int32_t p, std::string s) : id(p), session(std::move(s)) {}
  const std::int32_t id;
  const std::string session;  // "<worker>/<n>": names this assignment in the tusk-session header
  std::mutex mutex;
  PendingOffsets pending;                  // consumed, not yet settled; guarded by mutex
  std::int64_t commit_next = -1;           // the offset to commit (the next to read); guarded
  std::int64_t committed = -1;             // the last offset committed; guarded
  std::atomic<std::int64_t> position{-1};  // the next offset to consume
  bool start_known = true;  // whether the committed offset at assignment was read (consumer thread only)
};

// What a delivery report acknowledges. With --store, a flagged verdict has two acknowledgements
// to wait for (the brokers' and the store's): `waits` counts those still outstanding, and the
// offset is settled by whichever comes last.
struct Ack {
  std::shared_ptr<Partition> partition;
  std::int64_t offset;
  std::shared_ptr<std::atomic<int>> waits;  // null: the delivery report alone settles it
};

// The messages queued when a lane looks, up to this many, are screened as one group with
// Scanner::scan_batch: a pack with account state reads the state of the group's entities once
// and writes its updates once (docs/accounts.md). Nothing waits for a group to fill: a lane that
// keeps up screens one message at a time. The consumer thread gathers as many before it screens
// lane 0's share.
constexpr std::size_t kScanGroup = 256;

// A scanning lane: all messages of a partition go to the same lane, in order. Lane 0 is screened
// by the consumer thread itself, between polls, so that a worker with one lane hands nothing
// between threads of its own (docs/streaming.md, "Threads"); every other lane has a thread.
struct Lane {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::pair<rd_kafka_message_t*, std::shared_ptr<Partition>>> queue;  // guarded by mutex
  bool stop = false;                                                             // guarded by mutex
  std::thread thread;                                                            // not started for lane 0
  // The screening state, used by the lane's one thread only.
  std::unique_ptr<EngineScanner> scanner;
  std::vector<std::pair<rd_kafka_message_t*, std::shared_ptr<Partition>>> group;
  std::vector<std::string_view> records;
  std::vector<Verdict> verdicts;  // a stateful pack's group
  Verdict verdict;                // a stateless pack's one message
  std::string out;
};

class Worker {
 public:
  explicit Worker(Options o) : opt_(std::move(o)) {
    serve::LocationSettings s;
    s.location = opt_.pack;
    s.public_key_file = opt_.public_key;
    s.ca_file = opt_.pack_ca_file;
    source_ = std::make_unique<serve::PackLocation>(std::move(s));
  }
  ~Worker() = default;

  int run();

 private:
  // -- setup
  rd_kafka_conf_t* make_conf(bool consumer, std::string& error);
  void warm_output_topics();
  bool load_pack(const std::string& reason);
  // -- the consumer thread (this one), which also serves delivery reports and screens lane 0
  void consume_some(bool paused);
  void dispatch(rd_kafka_message_t* m);
  void screen_inline();
  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  void revoke(rd_kafka_topic_partition_list_t* parts, bool lost);
  bool wait_drained(const std::vector<std::shared_ptr<Partition>>& parts, double seconds);
  bool commit(const std::vector<std::shared_ptr<Partition>>& parts,
              bool sync);  // false: a sync commit failed
  std::vector<std::shared_ptr<Partition>> all_partitions();
  void refresh_committed();
  std::shared_ptr<Partition> partition(std::int32_t p);
  // -- the scanning lanes
  void lane_loop(Lane& lane);
  bool take_group(Lane& lane);  // false: nothing queued
  void screen_group(Lane& lane);
  void screened(rd_kafka_message_t* m, std::shared_ptr<Partition> part, std::string_view record, Verdict& v,
                std::string& out);
  void produce(const std::string& topic, const void* key, std::size_t key_len, const std::string& value,
               rd_kafka_headers_t* headers, std::unique_ptr<Ack> ack);
  // -- delivery reports (served by whichever thread polls the producer: the consumer thread)
  void delivered(const rd_kafka_message_t* m);
  void settle(const Ack& ack);  // one acknowledgement of the offset arrived
  void fatal(const std::string& why);
  // -- the side port
  HttpResponse http(std::string_view method, std::string_view target);

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    static_cast<Worker*>(opaque)->delivered(m);
  }
  static void on_rebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque) {
    static_cast<Worker*>(opaque)->rebalance(err, parts);
  }
  static void on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                        void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void on_log(const rd_kafka_t*, int level, const char* fac, const char* buf);

  Options opt_;
  std::unique_ptr<serve::PackLocation> source_;  // what --pack names: pack, bundle or bundle URL
  bool pack_errors_ = false;                     // the last load failed on errors in the pack
  Metrics metrics_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<serve::VerdictRecorder> recorder_;  // --store; null without it
  std::shared_ptr<StateStore> state_;                 // --state; null: the engine's in-memory store
  std::string digest_;                                // of the active pack; guarded by digest_mutex_
  std::mutex digest_mutex_;
  std::mutex reload_mutex_;

  rd_kafka_t* consumer_ = nullptr;
  rd_kafka_t* producer_ = nullptr;
  std::vector<rd_kafka_topic_t*> output_topics_;  // held from startup, with their metadata
  bool cooperative_ = true;

  std::string instance_;        // this process: host, pid and a random number
  std::uint64_t sessions_ = 0;  // partitions assigned so far; guarded by parts_mutex_
  std::mutex parts_mutex_;
  std::map<std::int32_t, std::shared_ptr<Partition>> parts_;  // assigned partitions; guarded

  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<std::int64_t> in_flight_{0};
  // Backpressure resumes when the in-flight count falls back to this mark, not at the first
  // acknowledgement, so that consumption goes on in runs rather than a message at a time.
  std::int64_t resume_in_flight_ = 0;

  std::atomic<bool> stop_{false};
  std::atomic<bool> fatal_{false};
  std::atomic<bool> healthy_{false};
  std::mutex fatal_mutex_;
  std::string fatal_reason_;

  Clock::time_point async_commit_started_;
  bool rebalancing_ = false;  // a commit said so; cleared by the rebalance callback (consumer thread only)
  Clock::time_point rebalancing_since_;
  std::atomic<bool> async_commit_pending_{false};
};

}  // namespace tusk::stream
