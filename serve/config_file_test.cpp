#include "serve/config_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tusk::serve {
namespace {

std::string write_temp(const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() / ("tusk-config-file-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

struct Fields {
  std::string name;
  unsigned threads = 0;
  std::size_t limit = 0;
  double seconds = 0;
  std::vector<std::string> list;
  ConfigBindings::Properties props;
};

ConfigBindings bindings(Fields& f) {
  ConfigBindings b;
  b.bind("name", f.name)
      .bind("threads", f.threads)
      .bind("body-limit", f.limit)
      .bind("read-timeout", f.seconds)
      .bind("actions", f.list)
      .bind("kafka", f.props);
  return b;
}

TEST(ConfigBindings, SetsEachTypeAndTakesUnderscoresForDashes) {
  Fields f;
  const std::string path = write_temp(
      "name: wildlife\nthreads: 3\nbody_limit: 4096\nread-timeout: 2.5\nactions: [review, block]\n"
      "kafka:\n  b.second: \"2\"\n  a.first: one\n");
  EXPECT_EQ(bindings(f).load(path), "");
  EXPECT_EQ(f.name, "wildlife");
  EXPECT_EQ(f.threads, 3u);
  EXPECT_EQ(f.limit, 4096u);
  EXPECT_DOUBLE_EQ(f.seconds, 2.5);
  EXPECT_EQ(f.list, (std::vector<std::string>{"review", "block"}));
  ASSERT_EQ(f.props.size(), 2u);  // in the file's order, not sorted
  EXPECT_EQ(f.props[0], (std::pair<std::string, std::string>{"b.second", "2"}));
  EXPECT_EQ(f.props[1], (std::pair<std::string, std::string>{"a.first", "one"}));
  std::filesystem::remove(path);
}

TEST(ConfigBindings, NamesTheLineOfAnUnknownKeyOrABadValue) {
  Fields f;
  std::string path = write_temp("name: x\nthreds: 2\n");
  EXPECT_EQ(bindings(f).load(path), path + ":2: unknown option `threds`");
  path = write_temp("name: x\nthreads: many\n");
  EXPECT_EQ(bindings(f).load(path), path + ":2: bad value for `threads`");
  path = write_temp("threads: -1\n");  // not silently taken for a huge count
  EXPECT_EQ(bindings(f).load(path), path + ":1: bad value for `threads`");
  path = write_temp("kafka: [a, b]\n");
  EXPECT_EQ(bindings(f).load(path), path + ":1: `kafka` must map property names to values");
  path = write_temp("- just\n- a list\n");
  EXPECT_EQ(bindings(f).load(path), path + ": expected a mapping of option names to values");
  std::filesystem::remove(path);
  EXPECT_NE(bindings(f).load(path).find(path), std::string::npos);  // missing file: named
}

}  // namespace
}  // namespace tusk::serve
