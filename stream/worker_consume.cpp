// `tusk stream`: acknowledgements and the consumer thread (stream/worker_impl.h).
#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "serve/log.h"
#include "stream/worker_impl.h"

namespace tusk::stream {

using serve::log;
using serve::raw_field;

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
  // Whoever waits for this (backpressure, a drain) polls the producer, so it runs right here or
  // looks again within its poll's timeout (a verdict store's acknowledgement).
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
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

// Consumes what librdkafka has fetched, up to a group's worth, dispatches it to the lanes and
// screens lane 0's share here. The first poll waits a little for a message; with messages in
// flight only briefly, since delivery reports are served by this thread too.
void Worker::consume_some(bool paused) {
  const std::int64_t max = static_cast<std::int64_t>(opt_.max_in_flight);
  if (paused) {
    rd_kafka_poll(producer_, 10);  // backpressure: acknowledgements only, until the resume mark
    return;
  }
  rd_kafka_message_t* m =
      rd_kafka_consumer_poll(consumer_, in_flight_.load(std::memory_order_acquire) > 0 ? 5 : 100);
  for (std::size_t n = 0; m != nullptr;) {
    if (m->err) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        log("warn", "consumer error",
            {{"error", rd_kafka_message_errstr(m)}, {"code", rd_kafka_err2name(m->err)}});
      }
      rd_kafka_message_destroy(m);
    } else {
      dispatch(m);
    }
    if (++n == kScanGroup || in_flight_.load(std::memory_order_acquire) >= max || stop_ || fatal_) break;
    m = rd_kafka_consumer_poll(consumer_, 0);
  }
  screen_inline();
  rd_kafka_poll(producer_, 0);
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
  const std::size_t index = static_cast<std::size_t>(m->partition) % lanes_.size();
  Lane& lane = *lanes_[index];
  {
    std::lock_guard lock(lane.mutex);
    lane.queue.emplace_back(m, std::move(part));
  }
  if (index != 0) lane.cv.notify_one();  // lane 0 is screened by this thread, after the gathering
}

void Worker::screen_inline() {
  Lane& lane = *lanes_[0];
  while (take_group(lane)) screen_group(lane);
}

// Waits for the acknowledgements of the given partitions' in-flight messages, serving delivery
// reports meanwhile (lane 0's queued messages must have been screened: screen_inline).
bool Worker::wait_drained(const std::vector<std::shared_ptr<Partition>>& parts, double seconds) {
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
    rd_kafka_poll(producer_, 20);
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
  screen_inline();  // this callback may come between gathering lane 0's messages and screening them
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

}  // namespace tusk::stream
