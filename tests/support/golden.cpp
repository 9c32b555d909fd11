#include "tests/support/golden.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tusk::testing {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expect_golden(const std::filesystem::path& golden, const std::string& actual) {
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    if (actual.empty()) {
      std::filesystem::remove(golden);
    } else {
      std::ofstream out(golden, std::ios::binary);
      out << actual;
    }
    return;
  }
  const std::string expected = std::filesystem::exists(golden) ? read_file(golden) : std::string();
  EXPECT_EQ(expected, actual) << "golden " << golden.string()
                              << " differs; rerun with UPDATE_GOLDENS=1 and review `git diff`";
}

void enter_source_dir() { std::filesystem::current_path(TUSK_SOURCE_DIR); }

std::vector<std::string> golden_inputs(const std::string& stage, const std::string& ext, bool dirs) {
  std::vector<std::string> out;
  const std::filesystem::path root = std::filesystem::path(TUSK_SOURCE_DIR) / "tests" / "golden" / stage;
  if (!std::filesystem::exists(root)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const auto rel = std::filesystem::relative(entry.path(), TUSK_SOURCE_DIR).string();
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(rel);
    if (dirs && entry.is_directory() && std::filesystem::exists(entry.path() / "pack.yaml")) {
      out.push_back(rel);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tusk::testing
