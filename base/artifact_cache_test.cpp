// The on-disk artifact store shared by the JIT's objects and the pattern databases: entry
// encoding, where it lives, and the bound on its size.
#include "base/artifact_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tusk::base {
namespace {

namespace fs = std::filesystem;

TEST(ArtifactCache, DecodeRejectsEveryDamagedForm) {
  const std::string key = "k1", object = std::string(300, 'o');
  const std::string good = ArtifactCache::encode(key, object);
  std::string out;
  EXPECT_EQ(ArtifactCache::decode(good, key, out), CacheLookup::kHit);
  EXPECT_EQ(out, object);
  EXPECT_EQ(ArtifactCache::decode(good, "k2", out), CacheLookup::kForeign);
  EXPECT_EQ(ArtifactCache::decode(good.substr(0, 10), key, out), CacheLookup::kTruncated);
  EXPECT_EQ(ArtifactCache::decode(good.substr(0, good.size() - 1), key, out), CacheLookup::kTruncated);
  EXPECT_EQ(ArtifactCache::decode(good + "x", key, out), CacheLookup::kCorrupt);
  std::string flipped = good;
  flipped[flipped.size() - 1] ^= 1;
  EXPECT_EQ(ArtifactCache::decode(flipped, key, out), CacheLookup::kCorrupt);
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_EQ(ArtifactCache::decode(magic, key, out), CacheLookup::kCorrupt);
  EXPECT_EQ(ArtifactCache::decode("", key, out), CacheLookup::kTruncated);
}

TEST(ArtifactCache, DefaultDirectoryFollowsEnvironment) {
  const char* saved = std::getenv("TUSK_CACHE_DIR");
  const std::string keep = saved ? saved : "";
  ::setenv("TUSK_CACHE_DIR", "/x/tusk-cache", 1);
  EXPECT_EQ(default_cache_dir(), "/x/tusk-cache");
  ::unsetenv("TUSK_CACHE_DIR");
  ::setenv("XDG_CACHE_HOME", "/x/xdg", 1);
  EXPECT_EQ(default_cache_dir(), "/x/xdg/tusk");
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/x/home", 1);
  EXPECT_EQ(default_cache_dir(), "/x/home/.cache/tusk");
  if (saved) ::setenv("TUSK_CACHE_DIR", keep.c_str(), 1);
}

TEST(ArtifactCache, MaxBytesFollowsEnvironment) {
  const char* saved = std::getenv("TUSK_CACHE_MAX_MB");
  const std::string keep = saved ? saved : "";
  ::setenv("TUSK_CACHE_MAX_MB", "64", 1);
  EXPECT_EQ(default_cache_max_bytes(), std::uint64_t{64} << 20);
  ::setenv("TUSK_CACHE_MAX_MB", "lots", 1);  // not a number: the default
  EXPECT_EQ(default_cache_max_bytes(), std::uint64_t{512} << 20);
  ::unsetenv("TUSK_CACHE_MAX_MB");
  EXPECT_EQ(default_cache_max_bytes(), std::uint64_t{512} << 20);
  if (saved) ::setenv("TUSK_CACHE_MAX_MB", keep.c_str(), 1);
}

TEST(ArtifactCache, TrimRemovesTheLeastRecentlyUsedEntries) {
  const fs::path dir = fs::temp_directory_path() / ("tusk-artifact-trim-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string object(1000, 'o');
  const ArtifactCache roomy(dir.string(), ".tpd", std::uint64_t{1} << 30);
  for (const char* key : {"k1", "k2", "k3"}) ASSERT_EQ(roomy.store(key, object), "");
  // Ages set by hand so that the order does not depend on the clock's resolution.
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(roomy.path_for("k1"), now - std::chrono::seconds(100));
  fs::last_write_time(roomy.path_for("k2"), now - std::chrono::seconds(90));
  fs::last_write_time(roomy.path_for("k3"), now - std::chrono::seconds(80));
  std::ofstream(dir / "notes.txt") << std::string(10000, 'n');  // not an entry: never counted or removed
  std::string out;
  ASSERT_EQ(roomy.load("k2", out), CacheLookup::kHit);  // k2 is now the most recently used

  // Four entries of ~1,040 bytes against a bound of 3,000: trimmed to at most 2,250, oldest first.
  const ArtifactCache tight(dir.string(), ".tpd", 3000);
  ASSERT_EQ(tight.store("k4", object), "");
  EXPECT_EQ(tight.load("k1", out), CacheLookup::kMissing);
  EXPECT_EQ(tight.load("k3", out), CacheLookup::kMissing);
  EXPECT_EQ(tight.load("k2", out), CacheLookup::kHit);
  EXPECT_EQ(tight.load("k4", out), CacheLookup::kHit);
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tusk::base
