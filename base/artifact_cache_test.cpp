// The on-disk artifact store shared by the JIT's objects and the pattern databases: entry
// encoding, where it lives, and the bound on its size.
#include "base/artifact_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tusk::base {
namespace {

namespace fs = std::filesystem;

const std::string kSecret(32, 's');

TEST(ArtifactCache, DecodeRejectsEveryDamagedForm) {
  const std::string key = "k1", object = std::string(300, 'o');
  const std::string good = ArtifactCache::encode(key, object, kSecret);
  std::string out;
  EXPECT_EQ(ArtifactCache::decode(good, key, out, kSecret), CacheLookup::kHit);
  EXPECT_EQ(out, object);
  EXPECT_EQ(ArtifactCache::decode(good, "k2", out, kSecret), CacheLookup::kForeign);
  EXPECT_EQ(ArtifactCache::decode(good.substr(0, 10), key, out, kSecret), CacheLookup::kTruncated);
  EXPECT_EQ(ArtifactCache::decode(good.substr(0, good.size() - 1), key, out, kSecret),
            CacheLookup::kTruncated);
  EXPECT_EQ(ArtifactCache::decode(good + "x", key, out, kSecret), CacheLookup::kCorrupt);
  std::string flipped = good;
  flipped[flipped.size() - 1] ^= 1;
  EXPECT_EQ(ArtifactCache::decode(flipped, key, out, kSecret), CacheLookup::kCorrupt);
  std::string magic = good;
  magic[0] = 'X';
  EXPECT_EQ(ArtifactCache::decode(magic, key, out, kSecret), CacheLookup::kCorrupt);
  EXPECT_EQ(ArtifactCache::decode("", key, out, kSecret), CacheLookup::kTruncated);
}

// Whoever can write an entry but does not hold the secret cannot make one that is used: the
// checksum of layout 1 could be recomputed by anyone, the MAC cannot.
TEST(ArtifactCache, EntriesSealedWithAnotherSecretAreNeverUsed) {
  const std::string forged = ArtifactCache::encode("k1", "planted object", std::string(32, 'x'));
  std::string out;
  EXPECT_EQ(ArtifactCache::decode(forged, "k1", out, kSecret), CacheLookup::kCorrupt);
  EXPECT_EQ(ArtifactCache::decode(forged, "k2", out, kSecret), CacheLookup::kCorrupt);
  EXPECT_TRUE(out.empty());
}

class ArtifactCacheDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tusk-artifact-trust-" + std::to_string(::getpid())) / "cache";
    fs::remove_all(dir_.parent_path());
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_.parent_path(), ec);
  }
  static fs::perms mode(const fs::path& p) { return fs::symlink_status(p).permissions() & fs::perms::mask; }
  fs::path dir_;
};

TEST_F(ArtifactCacheDir, DirectoryIsPrivateAndEntriesAndKeyAre0600) {
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("k1", "object"), "");
  EXPECT_EQ(mode(dir_), fs::perms::owner_all);
  EXPECT_EQ(mode(cache.path_for("k1")), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(mode(dir_ / "cache.key"), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::file_size(dir_ / "cache.key"), 32u);
  std::string out;
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kHit);
  EXPECT_EQ(out, "object");
}

TEST_F(ArtifactCacheDir, DirectoryWritableByOthersIsRefused) {
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("k1", "object"), "");
  fs::permissions(dir_, fs::perms::all);  // 0777: anyone could plant entries
  std::string out;
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kUntrusted);
  EXPECT_TRUE(out.empty());
  EXPECT_NE(cache.store("k2", "object"), "");
  EXPECT_FALSE(fs::exists(cache.path_for("k2")));
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_write);  // group-writable: refused too
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kUntrusted);
  fs::permissions(dir_,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);  // 0755 is fine
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kHit);
}

TEST_F(ArtifactCacheDir, EntryWritableByOthersIsRefused) {
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("k1", "object"), "");
  fs::permissions(cache.path_for("k1"), fs::perms::others_write, fs::perm_options::add);
  std::string out;
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kUntrusted);
  // A rebuild replaces it with a private entry.
  ASSERT_EQ(cache.store("k1", "object"), "");
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kHit);
}

TEST_F(ArtifactCacheDir, KeyReadableByOthersIsNotUsed) {
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("k0", "object"), "");
  fs::permissions(dir_ / "cache.key", fs::perms::others_read, fs::perm_options::add);
  EXPECT_NE(cache.store("k1", "object"), "");
  EXPECT_FALSE(fs::exists(cache.path_for("k1")));
  std::string out;
  EXPECT_NE(cache.load("k0", out), CacheLookup::kHit);
}

TEST_F(ArtifactCacheDir, EntryOfAnotherOwnerIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("k1", "object"), "");
  ASSERT_EQ(::chown(cache.path_for("k1").c_str(), 65534, 65534), 0);
  std::string out;
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kUntrusted);
  ASSERT_EQ(::chown(dir_.c_str(), 65534, 65534), 0);
  EXPECT_EQ(cache.load("k2", out), CacheLookup::kUntrusted);
}

TEST_F(ArtifactCacheDir, SymlinksFifosAndDevicesAreNeitherFollowedNorRead) {
  const ArtifactCache cache(dir_.string(), ".tpd");
  ASSERT_EQ(cache.store("seed", "object"), "");
  std::string out;
  // A symlink to /dev/zero would be read until memory runs out.
  fs::create_symlink("/dev/zero", cache.path_for("k1"));
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kUntrusted);
  // A FIFO would block the open (and so every compile) forever.
  ASSERT_EQ(::mkfifo(cache.path_for("k2").c_str(), 0600), 0);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(cache.load("k2", out), CacheLookup::kUntrusted);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  // A symlink to a real, well-formed entry is still a symlink.
  fs::create_symlink(cache.path_for("seed"), cache.path_for("k3"));
  EXPECT_EQ(cache.load("k3", out), CacheLookup::kUntrusted);
  // Storing over them replaces the link or FIFO with a regular file.
  ASSERT_EQ(cache.store("k1", "object"), "");
  EXPECT_EQ(cache.load("k1", out), CacheLookup::kHit);
  EXPECT_TRUE(fs::exists("/dev/zero"));
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
