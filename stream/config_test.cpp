#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "stream/http.h"
#include "stream/metrics.h"
#include "stream/worker.h"

namespace tusk::stream {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(StreamConfig, ReadsOptionsAndKafkaPropertiesInOrder) {
  const std::string path =
      write_temp("tusk-stream-config",
                 "pack: packs/wildlife\nbrokers: k1:9092,k2:9092\ngroup: g\ninput: in\noutput: out\n"
                 "dead_letter: dead\nmax-in-flight: 42\ncommit_interval: 0.25\n"
                 "kafka:\n  security.protocol: SASL_SSL\n  consumer.session.timeout.ms: 10000\n");
  Options o;
  EXPECT_EQ(load_config_file(path, o), "");
  EXPECT_EQ(o.pack, "packs/wildlife");
  EXPECT_EQ(o.brokers, "k1:9092,k2:9092");
  EXPECT_EQ(o.dead_letter, "dead");
  EXPECT_EQ(o.max_in_flight, 42u);
  EXPECT_DOUBLE_EQ(o.commit_interval, 0.25);
  ASSERT_EQ(o.properties.size(), 2u);
  EXPECT_EQ(o.properties[0], (std::pair<std::string, std::string>{"security.protocol", "SASL_SSL"}));
  EXPECT_EQ(o.properties[1], (std::pair<std::string, std::string>{"consumer.session.timeout.ms", "10000"}));
  std::filesystem::remove(path);
}

TEST(StreamConfig, RejectsUnknownKeysAndBadValuesWithTheirLine) {
  const std::string path = write_temp("tusk-stream-config-bad", "pack: p\ninptu: in\n");
  Options o;
  EXPECT_NE(load_config_file(path, o).find(":2: unknown option `inptu`"), std::string::npos);
  std::ofstream(path) << "threads: many\n";
  EXPECT_NE(load_config_file(path, o).find("bad value for `threads`"), std::string::npos);
  std::ofstream(path) << "kafka: [a, b]\n";
  EXPECT_NE(load_config_file(path, o).find("`kafka` must map"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(StreamMetrics, RendersCountersByLabel) {
  Metrics m;
  Verdict block;
  block.action = Action::kBlock;
  Verdict bad;
  bad.ok = false;
  m.consumed();
  m.consumed();
  m.verdict(block);
  m.verdict(bad);
  m.dead_letter();
  m.commit(true, 0.003);
  m.rebalance(Metrics::Rebalance::kRevoke);
  const std::string text = m.render(7, 3);
  EXPECT_NE(text.find("tusk_stream_messages_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_verdicts_total{action=\"block\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_verdicts_total{action=\"error\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_dead_letters_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_commit_seconds_bucket{le=\"0.0025\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_commit_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_rebalances_total{kind=\"revoke\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_in_flight 7\n"), std::string::npos);
  EXPECT_NE(text.find("tusk_stream_assigned_partitions 3\n"), std::string::npos);
}

TEST(StreamSideListener, RejectsBadAddresses) {
  SideListener l;
  EXPECT_NE(l.start("localhost", {}).find("expected HOST:PORT"), std::string::npos);
  SideListener l2;
  EXPECT_NE(l2.start("127.0.0.1:99999", {}).find("bad port"), std::string::npos);
}

}  // namespace
}  // namespace tusk::stream
