#include "stream/worker.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <random>

#include "accounts/open_state.h"
#include "serve/log.h"
#include "stream/worker_impl.h"
#include "tusk/version.h"

namespace tusk::stream {

using serve::log;
using serve::raw_field;

namespace {

// Properties a user may not set: the worker commits offsets itself, after delivery.
bool managed_property(const std::string& name) {
  return name == "enable.auto.commit" || name == "enable.auto.offset.store" || name == "group.id" ||
         name == "enable.partition.eof";
}

}  // namespace

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
    // 64 MiB of prefetched input: librdkafka 2.0 stops fetching when this is full and looks
    // again only on its timer (0.2-0.4 s measured); 16 MiB drained faster than that, and a
    // worker sat idle between fetches at 60% of a core (docs/performance.md, streaming).
    set("queued.max.messages.kbytes", "65536");
  } else {
    set("enable.idempotence", "true");
    // librdkafka's default of 5 ms kept the producer's broker threads polling: 1.3-1.8 system
    // calls and 0.14-0.17 context switches a verdict on one worker at 30,000-40,000 messages/s,
    // against 0.14-0.16 and 0.02-0.03 with 50 ms, which adds at most 50 ms to a verdict's
    // latency (docs/performance.md, "Fewer threads, a longer linger, commits when caught up").
    set("linger.ms", "50");
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

  // Lane 0 is screened by this thread (the consumer thread), which also serves the delivery
  // reports: with one lane, a message is consumed, screened, produced and acknowledged without a
  // hand-off between threads of the worker's own (docs/streaming.md, "Threads").
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads = opt_.threads ? opt_.threads : cores;
  for (unsigned t = 0; t < threads; ++t) lanes_.push_back(std::make_unique<Lane>());
  for (std::size_t t = 1; t < lanes_.size(); ++t) {
    Lane* l = lanes_[t].get();
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
        stop_ = true;  // the consumer thread polls with a timeout of at most 100 ms
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

  // The consumer loop: rebalance and commit callbacks run here, inside consumer_poll, and
  // delivery reports inside the producer's poll.
  auto last_commit = Clock::now();
  bool paused = false;
  bool commit_soon = false;
  while (!stop_ && !fatal_) {
    // Backpressure: no consuming from the in-flight bound down to the resume mark (commits and
    // the group's callbacks go on meanwhile).
    const std::int64_t in_flight = in_flight_.load(std::memory_order_acquire);
    if (in_flight >= static_cast<std::int64_t>(opt_.max_in_flight)) {
      paused = true;
    } else if (in_flight <= resume_in_flight_) {
      paused = false;
    }
    consume_some(paused);
    if (rebalancing_ && since(rebalancing_since_) > 10) rebalancing_ = false;  // no callback came: try again
    // Every --commit-interval, and at once when the worker has caught up (nothing in flight
    // after a poll that found nothing new): the group's committed offsets, and so its lag, reach
    // the end of the input when the work does, not up to an interval later. A commit that would
    // not move an offset is skipped, so an idle worker does not commit again.
    if (in_flight > 0 && in_flight_.load(std::memory_order_acquire) == 0) commit_soon = true;  // caught up
    if ((commit_soon || since(last_commit) >= opt_.commit_interval) && !rebalancing_ &&
        !async_commit_pending_) {
      refresh_committed();
      commit(all_partitions(), false);
      last_commit = Clock::now();
      commit_soon = false;
    }
  }

  healthy_ = false;
  if (exit_code == 0) {
    // Drain: finish what was consumed, commit it, leave the group (which revokes, and commits
    // again, the partitions still assigned).
    screen_inline();
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
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) lane->thread.join();
  }
  recorder_.reset();  // writes what is still queued (its offsets were not committed without it)
  if (state_) {
    try {
      state_->flush();
    } catch (const std::exception& e) {
      log("error", "cannot flush the account state", {{"error", e.what()}});
    }
  }
  // The last delivery reports (served inside the flush); after a fatal error nothing more is
  // acknowledged or committed, so there is nothing to wait for.
  if (!fatal_) rd_kafka_flush(producer_, 10000);
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

int run(Options options) {
  Worker worker(std::move(options));
  return worker.run();
}

}  // namespace tusk::stream
