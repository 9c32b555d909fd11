// The test harness of `tusk stream` (tests/stream/stream_test.py): librdkafka's mock Kafka
// cluster on loopback ports, with fault injection, plus a producer and a reader of topics.
//
//   kafka_harness mock [--brokers N]
//       Starts a mock cluster of N brokers (default 3) on 127.0.0.1 and prints
//       "bootstrap HOST:PORT,..." on standard output. Then reads commands on standard input,
//       one a line, answering "ok" or "error ..." to each:
//         topic NAME PARTITIONS     create a topic (replication factor 3, or N if smaller)
//         down BROKER | up BROKER    take a broker (1..N) down or bring it back
//         errors APIKEY ERR COUNT    the next COUNT requests of APIKEY fail with error code ERR
//         quit                       stop (end of input stops too)
//   kafka_harness produce --brokers B --topic T FILE
//       Produces each line of FILE as one message (no key, a random partition each),
//       idempotently; prints "produced N".
//   kafka_harness committed --brokers B --topic T --group G --partitions N
//       Prints the sum of the group's committed offsets over partitions 0..N-1 (-1 if one has none).
//   kafka_harness pipe --brokers B --topic T --output O --group G --count N [-X consumer.K=V|producer.K=V]...
//       The yardstick of `tusk stream`'s throughput: consumes N messages of T in group G and
//       produces each one's bytes to O, with the worker's client settings (idempotent producer,
//       linger.ms 50, offsets stored once delivered and committed every 0.2 s), and screens
//       nothing. Prints "piped N SECONDS" (from the first message to the last commit).
//   kafka_harness read --brokers B --topic T [--idle SECONDS]
//       Reads every partition of T from the beginning until all are at their end and nothing
//       new arrived for SECONDS (default 2); prints one JSON object per message:
//       {"p":partition,"o":offset,"k":hex key or null,"v":hex value,"h":{"name":"hex value"}}.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string hex(const void* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "kafka_harness: %s\n", why.c_str());
  std::exit(2);
}

rd_kafka_t* client(rd_kafka_type_t type, const std::vector<std::pair<std::string, std::string>>& props) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) die(err);
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) die(err);
  return rk;
}

int mock(int brokers) {
  // A producer handle owns the mock cluster; it is never used to produce.
  rd_kafka_t* rk = client(RD_KAFKA_PRODUCER, {{"log_level", "3"}});
  rd_kafka_mock_cluster_t* mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) die("cannot start the mock cluster");
  std::printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mc));
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (cmd == "quit") break;
    if (cmd == "topic") {
      std::string name;
      int partitions = 0;
      in >> name >> partitions;
      err = rd_kafka_mock_topic_create(mc, name.c_str(), partitions, brokers < 3 ? brokers : 3);
    } else if (cmd == "down" || cmd == "up") {
      int id = 0;
      in >> id;
      err = cmd == "down" ? rd_kafka_mock_broker_set_down(mc, id) : rd_kafka_mock_broker_set_up(mc, id);
    } else if (cmd == "errors") {
      int apikey = 0, code = 0;
      std::size_t count = 0;
      in >> apikey >> code >> count;
      std::vector<rd_kafka_resp_err_t> errs(count, static_cast<rd_kafka_resp_err_t>(code));
      rd_kafka_mock_push_request_errors_array(mc, static_cast<int16_t>(apikey), count, errs.data());
    } else {
      std::printf("error unknown command %s\n", cmd.c_str());
      std::fflush(stdout);
      continue;
    }
    if (err) {
      std::printf("error %s\n", rd_kafka_err2str(err));
    } else {
      std::printf("ok\n");
    }
    std::fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}

int failed_deliveries = 0;
std::string pipe_topic;  // the input topic of `pipe`, for its delivery reports
void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err) {
    ++failed_deliveries;
    std::fprintf(stderr, "kafka_harness: delivery failed: %s\n", rd_kafka_err2str(m->err));
  }
}

int produce(const std::string& brokers, const std::string& topic, const std::string& file) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "enable.idempotence", "true", err, sizeof err);
  rd_kafka_conf_set(conf, "linger.ms", "20", err, sizeof err);
  // Keyless messages go to a random partition each, not in sticky runs to one partition.
  rd_kafka_conf_set(conf, "sticky.partitioning.linger.ms", "0", err, sizeof err);
  rd_kafka_conf_set_dr_msg_cb(conf, &on_delivery);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) die(err);
  std::ifstream in(file, std::ios::binary);
  if (!in) die("cannot read " + file);
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    for (;;) {
      const rd_kafka_resp_err_t e =
          rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(line.data(), line.size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 10);
        continue;
      }
      if (e) die(rd_kafka_err2str(e));
      break;
    }
    ++n;
    rd_kafka_poll(rk, 0);
  }
  if (rd_kafka_flush(rk, 60000) != RD_KAFKA_RESP_ERR_NO_ERROR) die("flush timed out");
  rd_kafka_destroy(rk);
  if (failed_deliveries) die(std::to_string(failed_deliveries) + " deliveries failed");
  std::printf("produced %ld\n", n);
  return 0;
}

int read(const std::string& brokers, const std::string& topic, double idle) {
  rd_kafka_t* rk = client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", brokers},
                                              {"group.id", "kafka-harness-reader"},
                                              {"enable.partition.eof", "true"},
                                              {"enable.auto.commit", "false"}});
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1 ||
      md->topics[0].partition_cnt == 0) {
    die("no metadata for topic " + topic);
  }
  const int partitions = md->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::set<int> at_end;
  auto last = std::chrono::steady_clock::now();
  for (;;) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
    const auto now = std::chrono::steady_clock::now();
    if (!m) {
      if (static_cast<int>(at_end.size()) == partitions &&
          std::chrono::duration<double>(now - last).count() >= idle) {
        break;
      }
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end.insert(m->partition);
    } else if (m->err) {
      std::fprintf(stderr, "kafka_harness: %s\n", rd_kafka_message_errstr(m));
    } else {
      at_end.erase(m->partition);
      last = now;
      std::string out =
          "{\"p\":" + std::to_string(m->partition) + ",\"o\":" + std::to_string(m->offset) + ",\"k\":";
      out += m->key ? "\"" + hex(m->key, m->key_len) + "\"" : "null";
      out += ",\"v\":\"" + hex(m->payload, m->payload ? m->len : 0) + "\",\"h\":{";
      rd_kafka_headers_t* h = nullptr;
      if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR && h) {
        const char* name;
        const void* value;
        std::size_t size;
        for (std::size_t i = 0;
             rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
          out += (i ? ",\"" : "\"") + std::string(name) + "\":\"" + hex(value, size) + "\"";
        }
      }
      out += "}}\n";
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return 0;
}

std::atomic<long> piped_delivered{0};
struct Where {  // an input message's position, carried to its output's delivery report
  std::int32_t partition;
  std::int64_t offset;
};
void on_pipe_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err) die(std::string("delivery failed: ") + rd_kafka_err2str(m->err));
  // The input's position rides in the message's opaque: stored once delivered, like the worker.
  auto* consumer = static_cast<rd_kafka_t*>(opaque);
  const std::unique_ptr<Where> where(static_cast<Where*>(m->_private));
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, pipe_topic.c_str(), where->partition)->offset = where->offset + 1;
  rd_kafka_offsets_store(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  ++piped_delivered;
}

int pipe(const std::string& brokers, const std::string& topic, const std::string& output,
         const std::string& group, long count,
         const std::vector<std::pair<std::string, std::string>>& extra) {
  pipe_topic = topic;
  std::vector<std::pair<std::string, std::string>> props{
      {"bootstrap.servers", brokers},
      {"group.id", group},
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "earliest"},
      {"queued.max.messages.kbytes", "65536"}};
  for (const auto& [k, v] : extra) {
    if (k.starts_with("consumer.")) props.emplace_back(k.substr(9), v);
  }
  rd_kafka_t* consumer = client(RD_KAFKA_CONSUMER, props);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "enable.idempotence", "true", err, sizeof err);
  rd_kafka_conf_set(conf, "linger.ms", "50", err, sizeof err);  // the worker's default
  for (const auto& [k, v] : extra) {
    if (k.starts_with("producer.") &&
        rd_kafka_conf_set(conf, k.substr(9).c_str(), v.c_str(), err, sizeof err)) {
      die(err);
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf, &on_pipe_delivery);
  rd_kafka_conf_set_opaque(conf, consumer);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!producer) die(err);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  using Clock = std::chrono::steady_clock;
  Clock::time_point first{}, last_commit = Clock::now();
  long consumed = 0;
  while (consumed < count || piped_delivered < count) {
    rd_kafka_poll(producer, 0);
    if (Clock::now() - last_commit > std::chrono::milliseconds(200)) {
      rd_kafka_commit(consumer, nullptr, 1);
      last_commit = Clock::now();
    }
    if (consumed == count) {
      rd_kafka_poll(producer, 10);
      continue;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
    if (!m) continue;
    if (m->err) {
      rd_kafka_message_destroy(m);
      continue;
    }
    if (consumed++ == 0) first = Clock::now();
    auto* where = new Where{m->partition, m->offset};  // owned by the delivery report
    for (;;) {
      const rd_kafka_resp_err_t e =
          rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(output.c_str()), RD_KAFKA_V_KEY(m->key, m->key_len),
                            RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_OPAQUE(where), RD_KAFKA_V_END);
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        if (e) die(rd_kafka_err2str(e));
        break;
      }
      rd_kafka_poll(producer, 2);
    }
    rd_kafka_message_destroy(m);
  }
  if (rd_kafka_commit(consumer, nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR) die("the last commit failed");
  const double seconds = std::chrono::duration<double>(Clock::now() - first).count();
  std::printf("piped %ld %.3f\n", count, seconds);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  rd_kafka_destroy(producer);
  return 0;
}

// The sum of the group's committed offsets over the topic's partitions (-1 when a partition has
// none), as the group coordinator knows them.
int committed(const std::string& brokers, const std::string& topic, const std::string& group,
              int partitions) {
  rd_kafka_t* rk =
      client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", brokers}, {"group.id", group}, {"log_level", "3"}});
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list, topic.c_str(), p);
  const rd_kafka_resp_err_t err = rd_kafka_committed(rk, list, 10000);
  if (err) die(rd_kafka_err2str(err));
  long long sum = 0;
  bool all = true;
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].offset < 0) {
      all = false;
    } else {
      sum += list->elems[i].offset;
    }
  }
  std::printf("%lld\n", all ? sum : -1);
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(rk);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) die("usage: kafka_harness mock|produce|read ...");
  const std::string mode = args[0];
  std::string brokers, topic, file, group, output;
  long pipe_count = 0;
  std::vector<std::pair<std::string, std::string>> extra;  // -X consumer.K=V / producer.K=V (pipe)
  int partitions = 0;
  int count = 3;
  double idle = 2;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) die("missing value of " + args[i]);
      return args[++i];
    };
    if (args[i] == "--brokers") {
      brokers = value();
    } else if (args[i] == "--topic") {
      topic = value();
    } else if (args[i] == "--group") {
      group = value();
    } else if (args[i] == "--partitions") {
      partitions = std::stoi(value());
    } else if (args[i] == "-X") {
      const std::string kv = value();
      if (kv.find('=') == std::string::npos) die("-X wants KEY=VALUE");
      extra.emplace_back(kv.substr(0, kv.find('=')), kv.substr(kv.find('=') + 1));
    } else if (args[i] == "--output") {
      output = value();
    } else if (args[i] == "--count") {
      pipe_count = std::stol(value());
    } else if (args[i] == "--idle") {
      idle = std::stod(value());
    } else {
      file = args[i];
    }
  }
  if (mode == "mock") return mock(brokers.empty() ? count : std::stoi(brokers));
  if (mode == "produce") return produce(brokers, topic, file);
  if (mode == "read") return read(brokers, topic, idle);
  if (mode == "pipe") return pipe(brokers, topic, output, group, pipe_count, extra);
  if (mode == "committed") return committed(brokers, topic, group, partitions);
  die("unknown mode " + mode);
}
