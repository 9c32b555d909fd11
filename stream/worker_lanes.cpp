// `tusk stream`: the scanning threads (stream/worker_impl.h).
#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <iterator>

#include "serve/log.h"
#include "stream/worker_impl.h"

namespace tusk::stream {

using serve::log;
using serve::raw_field;

namespace {

// Adds where the message came from, in one header ("listings/3/1234": a topic name has no '/'),
// and which assignment screened it. One header rather than three: librdkafka allocates each header
// and writes each into the batch, and with five headers a verdict cost the worker ~1 us more than
// with three (docs/performance.md).
void add_origin(rd_kafka_headers_t* h, const rd_kafka_message_t* m, const std::string& topic,
                const std::string& session) {
  fmt::memory_buffer where;  // on the stack for any legal topic name (at most 249 characters)
  fmt::format_to(std::back_inserter(where), "{}/{}/{}", topic, m->partition, m->offset);
  rd_kafka_header_add(h, "tusk-input", -1, where.data(), static_cast<ssize_t>(where.size()));
  rd_kafka_header_add(h, "tusk-session", -1, session.data(), static_cast<ssize_t>(session.size()));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Scanning lanes.

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
      rd_kafka_poll(producer_, 2);  // the queue drains as delivery reports are served
      continue;
    }
    rd_kafka_headers_destroy(headers);
    fatal(fmt::format("cannot produce to {}: {}", topic, rd_kafka_err2str(err)));
    return;
  }
}

bool Worker::take_group(Lane& lane) {
  lane.group.clear();
  std::lock_guard lock(lane.mutex);
  while (!lane.queue.empty() && lane.group.size() < kScanGroup) {
    lane.group.push_back(std::move(lane.queue.front()));
    lane.queue.pop_front();
  }
  return !lane.group.empty();
}

void Worker::screen_group(Lane& lane) {
  if (!lane.scanner) lane.scanner = std::make_unique<EngineScanner>(*engine_);
  Scanner& scanner = lane.scanner->scanner();
  if (!scanner.pack().stateful()) {
    // A group only serves account state. Without it, each message is screened into one reused
    // verdict and produced at once, as `tusk scan` does: the message's bytes and the verdict
    // stay in cache, and no verdicts are remade (scan_batch resizes its output to each group,
    // and groups vary in size: a profile found their evidence vectors and pack strings
    // allocated again and again; docs/performance.md).
    for (auto& [m, part] : lane.group) {
      const std::string_view record(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
      scanner.scan(record, lane.verdict);
      screened(m, std::move(part), record, lane.verdict, lane.out);
    }
    lane.group.clear();
    return;
  }
  lane.records.clear();
  for (const auto& [m, part] : lane.group) {
    lane.records.emplace_back(static_cast<const char*>(m->payload), m->payload ? m->len : 0);
  }
  scanner.scan_batch(lane.records, lane.verdicts);
  for (std::size_t i = 0; i < lane.group.size(); ++i) {
    Verdict& v = lane.verdicts[i];
    v.line = 0;  // scan_batch numbers a group's verdicts; a message has no line
    screened(lane.group[i].first, std::move(lane.group[i].second), lane.records[i], v, lane.out);
  }
  lane.group.clear();
}

// A lane with a thread of its own (every lane but 0).
void Worker::lane_loop(Lane& lane) {
  for (;;) {
    {
      std::unique_lock lock(lane.mutex);
      lane.cv.wait(lock, [&] { return lane.stop || !lane.queue.empty(); });
      if (lane.queue.empty()) return;
    }
    while (take_group(lane)) screen_group(lane);
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
      h = rd_kafka_headers_new(3);
    }
    add_origin(h, m, opt_.input, ack->partition->session);
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
    rd_kafka_headers_t* h = rd_kafka_headers_new(3);
    add_origin(h, m, opt_.input, ack->partition->session);
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

}  // namespace tusk::stream
