#include "stream/worker.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "accounts/open_state.h"
#include "serve/log.h"
#include "serve/pack_location.h"
#include "serve/verdict_recorder.h"
#include "stream/http.h"
#include "stream/metrics.h"
#include "stream/pending_offsets.h"
#include "tusk/engine.h"
#include "tusk/version.h"

namespace tusk::stream {
namespace {

using serve::log;
using serve::raw_field;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Properties a user may not set: the worker commits offsets itself, after delivery.
bool managed_property(const std::string& name) {
  return name == "enable.auto.commit" || name == "enable.auto.offset.store" || name == "group.id" ||
         name == "enable.partition.eof";
}

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

// A scanning thread's queue: all messages of a partition go to the same lane, in order.
struct Lane {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::pair<rd_kafka_message_t*, std::shared_ptr<Partition>>> queue;
  bool stop = false;
  std::thread thread;
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
  // -- the consumer thread (this one)
  void dispatch(rd_kafka_message_t* m);
  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  void revoke(rd_kafka_topic_partition_list_t* parts, bool lost);
  bool wait_drained(const std::vector<std::shared_ptr<Partition>>& parts, double seconds);
  bool commit(const std::vector<std::shared_ptr<Partition>>& parts,
              bool sync);  // false: a sync commit failed
  std::vector<std::shared_ptr<Partition>> all_partitions();
  void refresh_committed();
  std::shared_ptr<Partition> partition(std::int32_t p);
  // -- the scanning threads
  void lane_loop(Lane& lane);
  void screened(rd_kafka_message_t* m, std::shared_ptr<Partition> part, std::string_view record, Verdict& v,
                std::string& out);
  void produce(const std::string& topic, const void* key, std::size_t key_len, const std::string& value,
               rd_kafka_headers_t* headers, std::unique_ptr<Ack> ack);
  // -- delivery reports (the producer's poll thread)
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
  // acknowledgement: waking the consumer thread for every message costs a context switch each.
  std::int64_t resume_in_flight_ = 0;
  std::atomic<int> draining_{0};  // threads in wait_drained, which want to hear of every settlement
  std::mutex progress_mutex_;
  std::condition_variable progress_cv_;  // notified where a waiter can go on (settle)

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

// ---------------------------------------------------------------------------------------------
// Setup.

rd_kafka_conf_t* Worker::make_conf(bool consumer, std::string& error) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  const auto set = [&](const std::string& k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      if (error.empty()) error = fmt::format("Kafka property {}={}: {}", k, v, err);
      return false;
    }
    return true;
  };
  set("bootstrap.servers", opt_.brokers);
  set("client.id", consumer ? "tusk-stream-consumer" : "tusk-stream-producer");
  if (consumer) {
    set("group.id", opt_.group);
    set("partition.assignment.strategy", "cooperative-sticky");
    set("enable.auto.commit", "false");
    set("enable.auto.offset.store", "false");
    set("auto.offset.reset", "earliest");
    set("queued.max.messages.kbytes", "16384");
  } else {
    set("enable.idempotence", "true");
    set("linger.ms", "5");
  }
  for (const auto& [key, value] : opt_.properties) {
    std::string k = key;
    if (k.starts_with("consumer.") || k.starts_with("producer.")) {
      if (k.starts_with("consumer.") != consumer) continue;
      k = k.substr(k.find('.') + 1);
    }
    if (managed_property(k)) {
      if (error.empty()) {
        error = fmt::format("Kafka property {} is managed by tusk stream and cannot be set", k);
      }
      continue;
    }
    set(k, value);
  }
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_error_cb(conf, &Worker::on_error);
  rd_kafka_conf_set_log_cb(conf, &Worker::on_log);
  if (consumer) {
    rd_kafka_conf_set_rebalance_cb(conf, &Worker::on_rebalance);
    rd_kafka_conf_set_offset_commit_cb(conf, &Worker::on_commit);
  } else {
    rd_kafka_conf_set_dr_msg_cb(conf, &Worker::on_delivery);
  }
  if (!error.empty()) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  return conf;
}

// librdkafka looks up a topic it has not produced to yet on its one-second metadata timer, so
// the first verdicts of a starting worker waited up to a second (measured: 0.8 s) with the
// in-flight bound full. The output topics' metadata is asked for at startup instead, and their
// handles are held so that the answer stays attached to them.
void Worker::warm_output_topics() {
  for (const std::string* topic : {&opt_.output, &opt_.dead_letter}) {
    if (topic->empty()) continue;
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(producer_, topic->c_str(), nullptr);
    if (!rkt) continue;
    output_topics_.push_back(rkt);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(producer_, 0, rkt, &md, 5000);
    if (!err && md && md->topic_cnt == 1) err = md->topics[0].err;
    if (md) rd_kafka_metadata_destroy(md);
    if (err) {
      // Not fatal: the topic may be created later (by the brokers' auto-creation or an operator);
      // messages to it wait in the producer meanwhile, within the in-flight bound.
      log("warn", "no metadata for an output topic yet",
          {{"topic", *topic}, {"error", rd_kafka_err2str(err)}});
    }
  }
}

bool Worker::load_pack(const std::string& reason) {
  std::lock_guard lock(reload_mutex_);
  const auto started = Clock::now();
  CompileOptions copts;
  copts.stdlib_dir = opt_.stdlib;
  copts.backend = opt_.backend == "jit"      ? Backend::kJit
                  : opt_.backend == "interp" ? Backend::kInterp
                                             : Backend::kAuto;
  serve::LoadedPack loaded;
  try {
    loaded = source_->load(copts);
  } catch (const std::exception& e) {
    loaded.stage = "compile";
    loaded.error = e.what();
  }
  std::string previous;
  {
    std::lock_guard d(digest_mutex_);
    previous = digest_;
  }
  pack_errors_ = loaded.pack_errors;
  if (!loaded.pack) {
    metrics_.reload(false);
    log("error", engine_ ? "pack rejected; the active pack stays" : "pack rejected",
        {{"reason", reason},
         {"source", opt_.pack},
         {"stage", loaded.stage},
         {"error", loaded.error},
         {"active_digest", previous}});
    return false;
  }
  const PackInfo info = loaded.pack->info();
  if (recorder_) recorder_->pack_activated(*loaded.pack);
  if (engine_) {
    engine_->swap(loaded.pack);
  } else {
    engine_ = std::make_unique<Engine>(loaded.pack);
    if (state_) engine_->set_state(state_);
  }
  {
    std::lock_guard d(digest_mutex_);
    digest_ = info.digest;
  }
  metrics_.set_pack(
      info, std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  metrics_.reload(true);
  log("info", "pack activated",
      {{"reason", reason},
       {"source", opt_.pack},
       {"name", info.name},
       {"version", info.version},
       {"digest", info.digest},
       {"previous_digest", previous},
       raw_field("tests_passed", std::to_string(loaded.tests_passed)),
       raw_field("seconds", fmt::format("{:.3f}", since(started)))});
  return true;
}

// ---------------------------------------------------------------------------------------------
// Callbacks.

void Worker::on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                       void* opaque) {
  auto* w = static_cast<Worker*>(opaque);
  // Synchronous commits are counted where they are made; this is the answer to an async one.
  if (!w->async_commit_pending_.exchange(false) || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  const bool ok = err == RD_KAFKA_RESP_ERR_NO_ERROR;
  w->metrics_.commit(ok, since(w->async_commit_started_));
  if (err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION) {
    // A commit made during a rebalance can carry the generation the group is leaving, which
    // makes librdkafka drop the assignment as lost (and its uncommitted work be screened
    // again): hold periodic commits until the rebalance callback says it is over.
    w->rebalancing_since_ = Clock::now();
    w->rebalancing_ = true;
  }
  if (!ok) {
    log("warn", "offset commit failed; it is retried with the next one", {{"error", rd_kafka_err2str(err)}});
    return;
  }
  std::lock_guard lock(w->parts_mutex_);
  for (int i = 0; offsets && i < offsets->cnt; ++i) {
    const auto& tp = offsets->elems[i];
    auto it = w->parts_.find(tp.partition);
    if (tp.err || it == w->parts_.end()) continue;
    std::lock_guard pl(it->second->mutex);
    it->second->committed = std::max(it->second->committed, tp.offset);
  }
}

void Worker::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* w = static_cast<Worker*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    const rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    w->fatal(fmt::format("{}: {}", rd_kafka_err2name(orig), buf));
    return;
  }
  log("warn", "kafka",
      {{"error", rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))}, {"reason", reason}});
}

void Worker::on_log(const rd_kafka_t*, int level, const char* fac, const char* buf) {
  log(level <= 3   ? "error"
      : level <= 4 ? "warn"
                   : "info",
      "librdkafka", {{"facility", fac}, {"message", buf}});
}

void Worker::fatal(const std::string& why) {
  {
    std::lock_guard lock(fatal_mutex_);
    if (fatal_) return;
    fatal_reason_ = why;
  }
  fatal_ = true;
  healthy_ = false;
  log("error", "fatal Kafka error; stopping without committing past unacknowledged messages",
      {{"error", why}});
  progress_cv_.notify_all();
}

void Worker::delivered(const rd_kafka_message_t* m) {
  std::unique_ptr<Ack> ack(static_cast<Ack*>(m->_private));
  metrics_.delivered(!m->err);
  if (m->err) {
    // The idempotent producer has retried until message.timeout.ms: this output is lost to
    // this process, so its input offset must never be committed; stop and let the group
    // hand the partition to a worker that will screen it again.
    fatal(fmt::format("delivery failed for input partition {} offset {}: {}", ack->partition->id, ack->offset,
                      rd_kafka_err2str(m->err)));
    return;
  }
  settle(*ack);
}

void Worker::settle(const Ack& ack) {
  if (ack.waits && ack.waits->fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  {
    Partition& p = *ack.partition;
    std::lock_guard lock(p.mutex);
    if (const std::int64_t next = p.pending.settle(ack.offset); next >= 0) p.commit_next = next;
  }
  const std::int64_t left = in_flight_.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if (left == resume_in_flight_ || left == 0 || draining_.load(std::memory_order_acquire) > 0) {
    { std::lock_guard lock(progress_mutex_); }  // a waiter is either before its check or waiting
    progress_cv_.notify_all();
  }
}

// ---------------------------------------------------------------------------------------------
// The consumer thread.

std::shared_ptr<Partition> Worker::partition(std::int32_t p) {
  std::lock_guard lock(parts_mutex_);
  auto& slot = parts_[p];
  if (!slot) slot = std::make_shared<Partition>(p, fmt::format("{}/{}", instance_, ++sessions_));
  return slot;
}

std::vector<std::shared_ptr<Partition>> Worker::all_partitions() {
  std::lock_guard lock(parts_mutex_);
  std::vector<std::shared_ptr<Partition>> out;
  for (auto& [id, p] : parts_) out.push_back(p);
  return out;
}

void Worker::dispatch(rd_kafka_message_t* m) {
  auto part = partition(m->partition);
  {
    std::lock_guard lock(part->mutex);
    part->pending.add(m->offset);
  }
  part->position = m->offset + 1;
  in_flight_.fetch_add(1, std::memory_order_acq_rel);
  metrics_.consumed();
  Lane& lane = *lanes_[static_cast<std::size_t>(m->partition) % lanes_.size()];
  {
    std::lock_guard lock(lane.mutex);
    lane.queue.emplace_back(m, std::move(part));
  }
  lane.cv.notify_one();
}

bool Worker::wait_drained(const std::vector<std::shared_ptr<Partition>>& parts, double seconds) {
  draining_.fetch_add(1, std::memory_order_acq_rel);
  struct Done {
    std::atomic<int>& n;
    ~Done() { n.fetch_sub(1, std::memory_order_acq_rel); }
  } done{draining_};
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (;;) {
    bool drained = true;
    for (const auto& p : parts) {
      std::lock_guard lock(p->mutex);
      drained &= p->pending.empty();
    }
    if (drained) return true;
    if (fatal_ || Clock::now() >= deadline) return false;
    std::unique_lock lock(progress_mutex_);
    progress_cv_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

bool Worker::commit(const std::vector<std::shared_ptr<Partition>>& parts, bool sync) {
  if (!sync && async_commit_pending_) return true;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(parts.size()));
  for (const auto& p : parts) {
    std::lock_guard lock(p->mutex);
    if (p->commit_next > p->committed) {
      rd_kafka_topic_partition_list_add(list, opt_.input.c_str(), p->id)->offset = p->commit_next;
    }
  }
  if (list->cnt == 0) {
    rd_kafka_topic_partition_list_destroy(list);
    return true;
  }
  const auto started = Clock::now();
  if (!sync) {
    async_commit_started_ = started;
    async_commit_pending_ = true;
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_, list, 1);
    if (err) async_commit_pending_ = false;
    rd_kafka_topic_partition_list_destroy(list);
    return true;
  }
  const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_, list, 0);
  metrics_.commit(!err, since(started));
  if (err) {
    log("warn", "offset commit failed",
        {{"error", rd_kafka_err2str(err)}, raw_field("partitions", std::to_string(list->cnt))});
  } else {
    for (const auto& p : parts) {
      std::lock_guard lock(p->mutex);
      for (int i = 0; i < list->cnt; ++i) {
        if (list->elems[i].partition == p->id && !list->elems[i].err) {
          p->committed = std::max(p->committed, list->elems[i].offset);
        }
      }
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
  return !err;
}

// The committed offsets the assignment could not read (the coordinator was busy): for the
// committed-offset and lag gauges, and so that a commit that would not move is skipped.
void Worker::refresh_committed() {
  std::vector<std::shared_ptr<Partition>> unknown;
  for (auto& p : all_partitions()) {
    if (!p->start_known) unknown.push_back(p);
  }
  if (unknown.empty()) return;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(unknown.size()));
  for (const auto& p : unknown) rd_kafka_topic_partition_list_add(list, opt_.input.c_str(), p->id);
  if (rd_kafka_committed(consumer_, list, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < list->cnt; ++i) {
      Partition& p = *unknown[static_cast<std::size_t>(i)];
      if (list->elems[i].err) continue;
      p.start_known = true;
      std::lock_guard lock(p.mutex);
      if (list->elems[i].offset > p.committed) p.committed = list->elems[i].offset;
      if (list->elems[i].offset > p.commit_next) p.commit_next = list->elems[i].offset;
      if (p.position < 0 && list->elems[i].offset >= 0) p.position = list->elems[i].offset;
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

void Worker::revoke(rd_kafka_topic_partition_list_t* parts, bool lost) {
  std::vector<std::shared_ptr<Partition>> revoked;
  std::string ids;
  for (int i = 0; i < parts->cnt; ++i) {
    revoked.push_back(partition(parts->elems[i].partition));
    ids += (ids.empty() ? "" : ",") + std::to_string(parts->elems[i].partition);
  }
  metrics_.rebalance(lost ? Metrics::Rebalance::kLost : Metrics::Rebalance::kRevoke);
  // Finish in-flight work for the partitions given up, then commit it, so that their next
  // owner starts after the last message whose verdict was acknowledged here.
  const auto started = Clock::now();
  const bool drained = wait_drained(revoked, opt_.drain_seconds);
  const bool committed = !lost && commit(revoked, true);
  log(drained && (lost || committed) ? "info" : "warn", lost ? "partitions lost" : "partitions revoked",
      {{"partitions", ids},
       raw_field("drained", drained ? "true" : "false"),
       raw_field("committed", committed ? "true" : "false"),
       raw_field("seconds", fmt::format("{:.3f}", since(started)))});
  std::lock_guard lock(parts_mutex_);
  for (const auto& p : revoked) parts_.erase(p->id);
}

void Worker::rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  rebalancing_ = false;
  // cooperative-sticky unless a -X partition.assignment.strategy chose an eager assignor.
  cooperative_ = std::strcmp(rd_kafka_rebalance_protocol(consumer_), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // Where each partition starts (its committed offset), for the lag gauge and so that
    // commits that would not move an offset are skipped.
    rd_kafka_topic_partition_list_t* start = rd_kafka_topic_partition_list_copy(parts);
    const bool known = rd_kafka_committed(consumer_, start, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string ids;
    for (int i = 0; i < parts->cnt; ++i) {
      auto p = partition(parts->elems[i].partition);
      const std::int64_t offset = known && !start->elems[i].err ? start->elems[i].offset : -1;
      p->start_known = known && !start->elems[i].err;
      if (offset >= 0) {
        std::lock_guard lock(p->mutex);
        p->committed = p->commit_next = offset;
        p->position = offset;
      }
      ids += (ids.empty() ? "" : ",") + std::to_string(parts->elems[i].partition);
    }
    rd_kafka_topic_partition_list_destroy(start);
    metrics_.rebalance(Metrics::Rebalance::kAssign);
    log("info", "partitions assigned", {{"partitions", ids}});
    rd_kafka_error_t* e = nullptr;
    if (cooperative_) {
      e = rd_kafka_incremental_assign(consumer_, parts);
    } else {
      rd_kafka_assign(consumer_, parts);
    }
    if (e) {
      log("error", "assign failed", {{"error", rd_kafka_error_string(e)}});
      rd_kafka_error_destroy(e);
    }
  } else {
    revoke(parts, rd_kafka_assignment_lost(consumer_));
    if (cooperative_) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(consumer_, parts)) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(consumer_, nullptr);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning threads.

rd_kafka_headers_t* origin_headers(const rd_kafka_message_t* m, const std::string& topic,
                                   const std::string& session) {
  rd_kafka_headers_t* h = rd_kafka_headers_new(5);
  const std::string partition = std::to_string(m->partition), offset = std::to_string(m->offset);
  rd_kafka_header_add(h, "tusk-input-topic", -1, topic.data(), static_cast<ssize_t>(topic.size()));
  rd_kafka_header_add(h, "tusk-input-partition", -1, partition.data(),
                      static_cast<ssize_t>(partition.size()));
  rd_kafka_header_add(h, "tusk-input-offset", -1, offset.data(), static_cast<ssize_t>(offset.size()));
  rd_kafka_header_add(h, "tusk-session", -1, session.data(), static_cast<ssize_t>(session.size()));
  return h;
}

void Worker::produce(const std::string& topic, const void* key, std::size_t key_len, const std::string& value,
                     rd_kafka_headers_t* headers, std::unique_ptr<Ack> ack) {
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(const_cast<void*>(key), key_len),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(ack.get()),
        RD_KAFKA_V_END);
    if (!err) {
      static_cast<void>(ack.release());  // owned by the delivery report now, as are the headers
      return;
    }
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !fatal_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the producer's queue drains by itself
      continue;
    }
    rd_kafka_headers_destroy(headers);
    fatal(fmt::format("cannot produce to {}: {}", topic, rd_kafka_err2str(err)));
    return;
  }
}

void Worker::lane_loop(Lane& lane) {
  // The messages queued when the lane wakes, up to this many, are screened as one group with
  // Scanner::scan_batch: a pack with account state reads the state of the group's entities once
  // and writes its updates once (docs/accounts.md). Nothing waits for a group to fill: a lane
  // that keeps up screens one message at a time, as before.
  constexpr std::size_t kScanGroup = 256;
  EngineScanner scanner(*engine_);
  std::vector<std::pair<rd_kafka_message_t*, std::shared_ptr<Partition>>> group;
  std::vector<std::string_view> records;
  std::vector<Verdict> verdicts;
  std::string out;
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(lane.mutex);
      lane.cv.wait(lock, [&] { return lane.stop || !lane.queue.empty(); });
      if (lane.queue.empty()) return;
      while (!lane.queue.empty() && group.size() < kScanGroup) {
        group.push_back(std::move(lane.queue.front()));
        lane.queue.pop_front();
      }
    }
    records.clear();
    for (const auto& [m, part] : group) {
      records.emplace_back(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
    }
    scanner.scanner().scan_batch(records, verdicts);
    for (std::size_t i = 0; i < group.size(); ++i) {
      rd_kafka_message_t* m = group[i].first;
      const std::string_view record = records[i];
      Verdict& v = verdicts[i];
      v.line = 0;  // scan_batch numbers a group's verdicts; a message has no line
      screened(m, std::move(group[i].second), record, v, out);
    }
  }
}

// Produces one screened message's output (or dead letter) and releases the message.
void Worker::screened(rd_kafka_message_t* m, std::shared_ptr<Partition> part, std::string_view record,
                      Verdict& v, std::string& out) {
  auto ack = std::make_unique<Ack>(Ack{std::move(part), m->offset, nullptr});
  metrics_.verdict(v);
  out.clear();
  if (!v.ok && !opt_.dead_letter.empty()) {
    // A dead letter: the original bytes, key and headers, with where they came from and why.
    rd_kafka_headers_t* h = nullptr;
    rd_kafka_headers_t* original = nullptr;
    if (rd_kafka_message_headers(m, &original) == RD_KAFKA_RESP_ERR_NO_ERROR && original) {
      h = rd_kafka_headers_copy(original);
    } else {
      h = rd_kafka_headers_new(4);
    }
    rd_kafka_headers_t* where = origin_headers(m, opt_.input, ack->partition->session);
    const char* name;
    const void* value;
    std::size_t size;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(where, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      rd_kafka_header_add(h, name, -1, value, static_cast<ssize_t>(size));
    }
    rd_kafka_headers_destroy(where);
    rd_kafka_header_add(h, "tusk-error", -1, v.error.data(), static_cast<ssize_t>(v.error.size()));
    out.assign(record);
    metrics_.dead_letter();
    produce(opt_.dead_letter, m->key, m->key_len, out, h, std::move(ack));
  } else {
    append_json(out, v);
    if (recorder_ && recorder_->keeps(v)) {
      ack->waits = std::make_shared<std::atomic<int>>(2);
      Ack stored{ack->partition, ack->offset, ack->waits};
      recorder_->add(record, v, out, [this, stored](bool written) {
        if (written) {
          settle(stored);
        } else {
          // As for a failed delivery: this offset must never be committed by this process.
          fatal(fmt::format("cannot keep the verdict of input partition {} offset {} in the verdict store",
                            stored.partition->id, stored.offset));
        }
      });
    }
    rd_kafka_headers_t* h = origin_headers(m, opt_.input, ack->partition->session);
    rd_kafka_header_add(h, "tusk-pack-digest", -1, v.pack.digest.data(),
                        static_cast<ssize_t>(v.pack.digest.size()));
    if (m->key_len > 0) {
      produce(opt_.output, m->key, m->key_len, out, h, std::move(ack));
    } else {
      produce(opt_.output, v.id.empty() ? nullptr : v.id.data(), v.id.size(), out, h, std::move(ack));
    }
  }
  rd_kafka_message_destroy(m);
}

// ---------------------------------------------------------------------------------------------
// The side port.

HttpResponse Worker::http(std::string_view method, std::string_view target) {
  if (method != "GET") {
    return {405, "application/json", error_json("method_not_allowed", "only GET is served here")};
  }
  if (target == "/healthz") {
    std::string digest;
    {
      std::lock_guard d(digest_mutex_);
      digest = digest_;
    }
    std::size_t assigned;
    {
      std::lock_guard lock(parts_mutex_);
      assigned = parts_.size();
    }
    if (!healthy_) {
      std::string why;
      {
        std::lock_guard lock(fatal_mutex_);
        why = fatal_reason_.empty() ? (stop_ ? "stopping" : "starting") : fatal_reason_;
      }
      return {503, "application/json", error_json(fatal_ ? "fatal" : "unavailable", why)};
    }
    return {200, "application/json",
            fmt::format(
                "{{\"status\":\"ok\",\"pack_digest\":\"{}\",\"assigned_partitions\":{},\"in_flight\":{}}}\n",
                digest, assigned, in_flight_.load())};
  }
  if (target == "/metrics") {
    const auto parts = all_partitions();
    std::string body = metrics_.render(in_flight_.load(), parts.size());
    body +=
        "# HELP tusk_stream_consumer_lag Messages of an assigned input partition not yet consumed (high "
        "watermark minus position).\n"
        "# TYPE tusk_stream_consumer_lag gauge\n";
    for (const auto& p : parts) {
      std::int64_t low = 0, high = 0;
      if (rd_kafka_get_watermark_offsets(consumer_, opt_.input.c_str(), p->id, &low, &high) !=
              RD_KAFKA_RESP_ERR_NO_ERROR ||
          high < 0) {
        continue;
      }
      const std::int64_t position = p->position.load();
      const std::int64_t lag = position < 0 ? high - low : std::max<std::int64_t>(0, high - position);
      body += fmt::format("tusk_stream_consumer_lag{{topic=\"{}\",partition=\"{}\"}} {}\n",
                          label_value(opt_.input), p->id, lag);
    }
    body +=
        "# HELP tusk_stream_committed_offset The last offset committed for an assigned input partition (-1: "
        "none yet).\n"
        "# TYPE tusk_stream_committed_offset gauge\n";
    for (const auto& p : parts) {
      std::int64_t committed;
      {
        std::lock_guard lock(p->mutex);
        committed = p->committed;
      }
      body += fmt::format("tusk_stream_committed_offset{{topic=\"{}\",partition=\"{}\"}} {}\n",
                          label_value(opt_.input), p->id, committed);
    }
    return {200, "text/plain; version=0.0.4", std::move(body)};
  }
  return {404, "application/json", error_json("not_found", fmt::format("no route {}", target))};
}

// ---------------------------------------------------------------------------------------------

int Worker::run() {
  const auto fail = [](const std::string& why) {
    log("error", why);
    return 2;
  };
  if (opt_.pack.empty()) return fail("--pack is required");
  if (std::string e = source_->check(); !e.empty()) return fail(e);
  if (opt_.brokers.empty()) return fail("--brokers is required");
  if (opt_.group.empty()) return fail("--group is required");
  if (opt_.input.empty() || opt_.output.empty()) return fail("--input and --output are required");
  if (opt_.max_in_flight == 0) return fail("--max-in-flight must be at least 1");
  {
    const auto max = static_cast<std::int64_t>(opt_.max_in_flight);
    resume_in_flight_ = max - std::max<std::int64_t>(1, max / 4);
  }

  // Signals are taken by one thread (sigwait): block them before any thread starts, so that
  // librdkafka's threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  {
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    std::random_device rd;
    instance_ = fmt::format("{}-{}-{:08x}", host, getpid(), rd());
  }
  // Bad Kafka properties are reported before the pack is compiled (which takes a while).
  std::string error;
  rd_kafka_conf_t* pconf = make_conf(false, error);
  if (!pconf) return fail(error);
  rd_kafka_conf_t* cconf = make_conf(true, error);
  if (!cconf) {
    rd_kafka_conf_destroy(pconf);
    return fail(error);
  }
  if (!opt_.store.empty()) {
    try {
      recorder_ = std::make_unique<serve::VerdictRecorder>(opt_.store, opt_.store_actions);
    } catch (const std::exception& e) {
      rd_kafka_conf_destroy(pconf);
      rd_kafka_conf_destroy(cconf);
      return fail(fmt::format("cannot open the verdict store {}: {}", opt_.store, e.what()));
    }
  }
  if (!opt_.state.empty()) {
    try {
      state_ = accounts::open_state(opt_.state);
    } catch (const std::exception& e) {
      rd_kafka_conf_destroy(pconf);
      rd_kafka_conf_destroy(cconf);
      return fail(fmt::format("--state: {}", e.what()));
    }
  }
  if (!load_pack("startup")) {
    rd_kafka_conf_destroy(pconf);
    rd_kafka_conf_destroy(cconf);
    fail("the pack could not be loaded at startup");
    return pack_errors_ ? 3 : 2;  // as every command: 3 for errors in the pack
  }
  char err[512];
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, err, sizeof err);
  if (!producer_) {
    rd_kafka_conf_destroy(pconf);
    rd_kafka_conf_destroy(cconf);
    return fail(fmt::format("cannot create the Kafka producer: {}", err));
  }
  consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, err, sizeof err);
  if (!consumer_) {
    rd_kafka_conf_destroy(cconf);
    rd_kafka_destroy(producer_);
    return fail(fmt::format("cannot create the Kafka consumer: {}", err));
  }
  rd_kafka_poll_set_consumer(consumer_);
  warm_output_topics();

  // Delivery reports are served on their own thread, so that acknowledgements (and so commits
  // and drains) progress whatever the consumer thread waits for.
  std::atomic<bool> producer_done{false};
  std::thread delivery([&] {
    while (!producer_done) rd_kafka_poll(producer_, 50);
  });

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads = opt_.threads ? opt_.threads : cores;
  for (unsigned t = 0; t < threads; ++t) lanes_.push_back(std::make_unique<Lane>());
  for (auto& lane : lanes_) {
    Lane* l = lane.get();
    l->thread = std::thread([this, l] { lane_loop(*l); });
  }

  std::atomic<bool> signals_done{false};
  Clock::time_point stop_requested;
  std::thread signal_thread([&] {
    const timespec tick{0, static_cast<long>(200 * 1000) * 1000};
    while (!signals_done) {
      const int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig == SIGHUP) {
        load_pack("SIGHUP");
      } else if (sig == SIGTERM || sig == SIGINT) {
        // A second signal a second or more after the first forces the exit (a supervisor
        // that signals the whole process group may deliver the first one twice at once).
        if (stop_ && since(stop_requested) >= 1.0) {
          log("warn", "second signal: exiting without draining; uncommitted messages will be screened again");
          std::_Exit(1);
        }
        if (stop_) continue;
        stop_requested = Clock::now();
        log("info", "draining",
            {{"reason", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
             raw_field("in_flight", std::to_string(in_flight_.load()))});
        stop_ = true;
        progress_cv_.notify_all();
      }
    }
  });

  SideListener listener;
  if (!opt_.metrics_listen.empty() && opt_.metrics_listen != "off") {
    const std::string e = listener.start(
        opt_.metrics_listen, [this](std::string_view m, std::string_view t) { return http(m, t); });
    if (!e.empty()) {
      stop_ = true;
      error = e;
    }
  }

  int exit_code = 0;
  if (error.empty()) {
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, opt_.input.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t serr = rd_kafka_subscribe(consumer_, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (serr) {
      error = fmt::format("cannot subscribe to {}: {}", opt_.input, rd_kafka_err2str(serr));
      stop_ = true;
    }
  }
  if (!error.empty()) {
    log("error", error);
    exit_code = 2;
  } else {
    healthy_ = true;
    log("info", "streaming",
        {{"brokers", opt_.brokers},
         {"group", opt_.group},
         {"input", opt_.input},
         {"output", opt_.output},
         {"dead_letter", opt_.dead_letter},
         raw_field("threads", std::to_string(threads)),
         raw_field("max_in_flight", std::to_string(opt_.max_in_flight)),
         {"metrics_address", listener.address()},
         raw_field("metrics_port", std::to_string(listener.port())),
         {"version", version()}});
  }

  // The consumer loop: rebalance and commit callbacks run here, inside consumer_poll.
  auto last_commit = Clock::now();
  while (!stop_ && !fatal_) {
    if (in_flight_.load(std::memory_order_acquire) >= static_cast<std::int64_t>(opt_.max_in_flight)) {
      // Backpressure: stop reading until acknowledgements bring the in-flight count down to the
      // resume mark (or 50 ms pass: commits and the group's callbacks go on meanwhile).
      std::unique_lock lock(progress_mutex_);
      progress_cv_.wait_for(lock, std::chrono::milliseconds(50), [&] {
        return in_flight_.load(std::memory_order_acquire) <= resume_in_flight_ || stop_ || fatal_;
      });
    } else if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 100)) {
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          log("warn", "consumer error",
              {{"error", rd_kafka_message_errstr(m)}, {"code", rd_kafka_err2name(m->err)}});
        }
        rd_kafka_message_destroy(m);
      } else {
        dispatch(m);
      }
    }
    if (rebalancing_ && since(rebalancing_since_) > 10) rebalancing_ = false;  // no callback came: try again
    if (since(last_commit) >= opt_.commit_interval && !rebalancing_) {
      refresh_committed();
      commit(all_partitions(), false);
      last_commit = Clock::now();
    }
  }

  healthy_ = false;
  if (exit_code == 0) {
    // Drain: finish what was consumed, commit it, leave the group (which revokes, and commits
    // again, the partitions still assigned).
    const bool drained = wait_drained(all_partitions(), opt_.drain_seconds);
    if (!fatal_) commit(all_partitions(), true);
    log(drained ? "info" : "warn",
        drained ? "drained" : "drain deadline passed; the rest will be screened again",
        {raw_field("in_flight", std::to_string(in_flight_.load()))});
    rd_kafka_consumer_close(consumer_);
    if (fatal_) exit_code = 1;
  }
  for (auto& lane : lanes_) {
    {
      std::lock_guard lock(lane->mutex);
      lane->stop = true;
    }
    lane->cv.notify_all();
  }
  for (auto& lane : lanes_) lane->thread.join();
  recorder_.reset();  // writes what is still queued (its offsets were not committed without it)
  if (state_) {
    try {
      state_->flush();
    } catch (const std::exception& e) {
      log("error", "cannot flush the account state", {{"error", e.what()}});
    }
  }
  if (!fatal_) rd_kafka_flush(producer_, 10000);
  producer_done = true;
  delivery.join();
  listener.stop();
  signals_done = true;
  signal_thread.join();
  for (auto& lane : lanes_) {
    for (auto& item : lane->queue) rd_kafka_message_destroy(item.first);
  }
  rd_kafka_destroy(consumer_);
  for (rd_kafka_topic_t* t : output_topics_) rd_kafka_topic_destroy(t);
  rd_kafka_destroy(producer_);
  log("info", "stopped", {raw_field("exit_code", std::to_string(exit_code))});
  return exit_code;
}

}  // namespace

int run(Options options) {
  Worker worker(std::move(options));
  return worker.run();
}

}  // namespace tusk::stream
