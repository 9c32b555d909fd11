#include "bundle/bundle.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "bundle/archive.h"
#include "bundle/manifest.h"
#include "tusk/pack_sources.h"

namespace tusk::bundle {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small pack with every kind of member: pack.yaml, two .tusk files, a lexicon file of its
// own, a YAML test file, and standard-library modules with their lexicon files.
constexpr const char* kPackYaml =
    "name: bundle.sample\nversion: \"0.3.0\"\nsources: [main.tusk, more.tusk]\ntests: [tests/cases.yaml]\n";
constexpr const char* kMain = R"(pack bundle.sample version "0.3.0"

use std.wildlife.ivory

lexicon local = load("lexicons/local.yaml")

rule ivory_named {
  when text mentions std.wildlife.ivory.names
  score 50
}

decide {
  review when score >= 40
  allow  otherwise
}

test "a tusk goes to review" {
  listing { title: "Elephant tusk, old" }
  expect review
}
)";
constexpr const char* kMore = R"(rule local_word {
  when text mentions local
  score 10
}
)";
constexpr const char* kLexicon = "terms:\n  - {term: \"bone chopsticks\", lang: en}\n";
constexpr const char* kCases = R"(tests:
  - name: plain listings are allowed
    listing: {id: a1, title: "Wooden chair"}
    expect:
      action: allow
)";

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "tusk-bundle-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    pack_ = dir_ / "pack";
    write(pack_ / "pack.yaml", kPackYaml);
    write(pack_ / "main.tusk", kMain);
    write(pack_ / "more.tusk", kMore);
    write(pack_ / "lexicons/local.yaml", kLexicon);
    write(pack_ / "tests/cases.yaml", kCases);
    build_.compile.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    build_.created_at = "2025-01-31T12:00:00Z";
    verify_.compile.use_cache = false;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string build(const std::string& name, const BuildOptions& options) {
    std::string out = (dir_ / name).string();
    BuildResult r = build_bundle(pack_.string(), out, options);
    EXPECT_TRUE(r.ok) << r.error << "\n" << r.diagnostics;
    return out;
  }
  std::string keys(const std::string& name) {
    std::string key = (dir_ / name).string();
    EXPECT_EQ(write_key_pair(key, false), "");
    return key;
  }
  // The bundle's entries, changed by `edit`, written to a new bundle.
  template <class Edit>
  std::string rewrite(const std::string& bundle, const std::string& name, Edit edit) {
    ArchiveRead r = read_archive(bundle, Bounds{});
    EXPECT_TRUE(r.problems.empty());
    edit(r.entries);
    std::string out = (dir_ / name).string();
    EXPECT_EQ(write_archive(out, r.entries, 0), "");
    return out;
  }
  static bool names(const Verification& v, const std::string& member, const std::string& what) {
    for (const auto& p : v.problems) {
      if (p.member == member && p.what.find(what) != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_, pack_;
  BuildOptions build_;
  VerifyOptions verify_;
};

TEST_F(BundleTest, BuildsAndVerifiesWithTheDirectorysDigest) {
  const std::string file = build("b.tusk.tar.gz", build_);
  CompileOptions options;
  options.stdlib_dir = build_.compile.stdlib_dir;
  CompileResult direct = Pack::compile(pack_.string(), options);
  ASSERT_TRUE(direct.pack) << direct.rendered;

  Verification v = verify_bundle(file, verify_);
  ASSERT_EQ(v.status, Status::kOk) << v.describe() << v.diagnostics;
  ASSERT_TRUE(v.pack);
  EXPECT_EQ(v.pack->info().digest, direct.pack->info().digest);
  EXPECT_EQ(v.manifest.digest, direct.pack->info().digest);
  EXPECT_EQ(v.manifest.name, "bundle.sample");
  EXPECT_EQ(v.manifest.version, "0.3.0");
  EXPECT_EQ(v.manifest.created_at, "2025-01-31T12:00:00Z");
  EXPECT_EQ(v.manifest.tests.passed, 2u);  // the inline test and the YAML one
  EXPECT_EQ(v.manifest.tests.failed, 0u);
  EXPECT_FALSE(v.is_signed);

  // Exactly the digest's inputs (as `std/...` or under pack/), then the test file.
  std::vector<std::string> expected;
  for (const auto& s : pack_sources(*direct.pack)) {
    expected.push_back(s.path.rfind("std/", 0) == 0 ? s.path : "pack/" + s.path);
  }
  expected.push_back("pack/tests/cases.yaml");
  std::vector<std::string> got;
  for (const auto& m : v.manifest.members) got.push_back(m.path);
  EXPECT_EQ(got, expected);
  for (const char* must :
       {"pack/pack.yaml", "pack/main.tusk", "pack/more.tusk", "pack/lexicons/local.yaml",
        "std/money/rates.yaml", "std/wildlife/ivory.tusk", "std/wildlife/lexicons/ivory.species.yaml"}) {
    EXPECT_NE(std::find(got.begin(), got.end(), must), got.end()) << must;
  }
  for (const auto& m : v.manifest.members) {
    const fs::path src = m.path.rfind("std/", 0) == 0 ? fs::path(build_.compile.stdlib_dir) / m.path.substr(4)
                                                      : pack_ / m.path.substr(5);
    EXPECT_EQ(m.sha256, base::sha256_hex(read(src))) << m.path;
  }

  // load_bundle gives the same pack.
  LoadResult loaded = load_bundle(file, verify_);
  ASSERT_TRUE(loaded.pack) << loaded.error;
  EXPECT_EQ(loaded.pack->info().digest, direct.pack->info().digest);
}

TEST_F(BundleTest, SameSourcesTimeAndKeyGiveTheSameBytes) {
  BuildOptions options = build_;
  options.signing_key_pem = read(keys("k"));
  const std::string a = build("a.tusk.tar.gz", options);
  const std::string b = build("b.tusk.tar.gz", options);
  EXPECT_EQ(read(a), read(b));
  options.created_at = "2025-02-01T00:00:00Z";
  EXPECT_NE(read(build("c.tusk.tar.gz", options)), read(a));
}

TEST_F(BundleTest, CompilesWithTheBundledStdlibNotTheMachines) {
  const std::string file = build("b.tusk.tar.gz", build_);
  // A machine whose standard library differs: the bundle neither needs nor reads it.
  const fs::path other = dir_ / "other-stdlib";
  fs::create_directories(other / "money");
  write(other / "money/rates.yaml", "this is not the rate table\n");
  const char* old = std::getenv("TUSK_STDLIB");
  const std::string saved = old ? old : "";
  ::setenv("TUSK_STDLIB", other.c_str(), 1);
  VerifyOptions options = verify_;
  options.compile.stdlib_dir = other.string();  // ignored for a bundle
  Verification v = verify_bundle(file, options);
  if (old) {
    ::setenv("TUSK_STDLIB", saved.c_str(), 1);
  } else {
    ::unsetenv("TUSK_STDLIB");
  }
  EXPECT_EQ(v.status, Status::kOk) << v.describe() << v.diagnostics;
}

TEST_F(BundleTest, SignaturesAreCheckedAgainstTheConfiguredKey) {
  const std::string key = keys("release.key");
  const std::string other = keys("other.key");
  EXPECT_EQ(::access(key.c_str(), F_OK), 0);
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  BuildOptions signed_options = build_;
  signed_options.signing_key_pem = read(key);
  const std::string signed_file = build("signed.tusk.tar.gz", signed_options);
  const std::string unsigned_file = build("unsigned.tusk.tar.gz", build_);

  VerifyOptions with_key = verify_;
  with_key.public_key_file = key + ".pub";
  Verification ok = verify_bundle(signed_file, with_key);
  EXPECT_EQ(ok.status, Status::kOk) << ok.describe();
  EXPECT_TRUE(ok.signature_checked);
  EXPECT_EQ(ok.manifest.key_id, ok.key_id);

  Verification unsigned_v = verify_bundle(unsigned_file, with_key);
  EXPECT_EQ(unsigned_v.status, Status::kInvalid);
  EXPECT_TRUE(names(unsigned_v, "manifest.sig", "not signed")) << unsigned_v.describe();
  EXPECT_FALSE(load_bundle(unsigned_file, with_key).pack);

  VerifyOptions other_key = verify_;
  other_key.public_key_file = other + ".pub";
  Verification wrong = verify_bundle(signed_file, other_key);
  EXPECT_EQ(wrong.status, Status::kInvalid);
  EXPECT_TRUE(names(wrong, "manifest.sig", "does not match")) << wrong.describe();

  // Without a key, a signed bundle verifies (the signature unchecked) and says so.
  Verification no_key = verify_bundle(signed_file, verify_);
  EXPECT_EQ(no_key.status, Status::kOk);
  EXPECT_TRUE(no_key.is_signed);
  EXPECT_FALSE(no_key.signature_checked);

  // A manifest edited after signing: the signature fails, whatever else is consistent.
  const std::string edited = rewrite(signed_file, "edited.tusk.tar.gz", [](std::vector<Entry>& entries) {
    for (auto& e : entries) {
      if (e.name == kManifestName) e.data.replace(e.data.find("0.3.0"), 5, "0.3.1");
    }
  });
  EXPECT_TRUE(names(verify_bundle(edited, with_key), "manifest.sig", "does not match"));

  // A key file that is not a public key is a usage error, not a verdict on the bundle.
  VerifyOptions private_as_public = verify_;
  private_as_public.public_key_file = key;
  EXPECT_EQ(verify_bundle(signed_file, private_as_public).status, Status::kIoError);
  EXPECT_NE(write_key_pair(key, false), "");  // no silent overwrite
}

TEST_F(BundleTest, AFlippedByteInAnyMemberNamesThatMember) {
  const std::string file = build("b.tusk.tar.gz", build_);
  const Manifest manifest = verify_bundle(file, verify_).manifest;
  ASSERT_GT(manifest.members.size(), 6u);
  for (const Member& m : manifest.members) {
    const std::string bad = rewrite(file, "flipped.tusk.tar.gz", [&](std::vector<Entry>& entries) {
      for (auto& e : entries) {
        if (e.name == m.path) e.data[e.data.size() / 2] ^= 0x01;
      }
    });
    Verification v = verify_bundle(bad, verify_);
    EXPECT_EQ(v.status, Status::kInvalid) << m.path;
    ASSERT_EQ(v.problems.size(), 1u) << v.describe();
    EXPECT_EQ(v.problems[0].member, m.path);
    EXPECT_NE(v.problems[0].what.find("SHA-256"), std::string::npos) << v.problems[0].what;
    EXPECT_FALSE(v.pack);
  }
}

TEST_F(BundleTest, ExtraAndMissingMembersFail) {
  const std::string file = build("b.tusk.tar.gz", build_);
  const std::string extra = rewrite(file, "extra.tusk.tar.gz", [](std::vector<Entry>& entries) {
    entries.push_back({"pack/extra.tusk", "rule sneaky { when text mentions local score 99 }\n"});
  });
  Verification v = verify_bundle(extra, verify_);
  EXPECT_EQ(v.status, Status::kInvalid);
  EXPECT_TRUE(names(v, "pack/extra.tusk", "not listed in the manifest")) << v.describe();

  const std::string missing = rewrite(file, "missing.tusk.tar.gz", [](std::vector<Entry>& entries) {
    std::erase_if(entries, [](const Entry& e) { return e.name == "pack/more.tusk"; });
  });
  v = verify_bundle(missing, verify_);
  EXPECT_EQ(v.status, Status::kInvalid);
  EXPECT_TRUE(names(v, "pack/more.tusk", "missing")) << v.describe();

  const std::string twice = rewrite(file, "twice.tusk.tar.gz",
                                    [](std::vector<Entry>& entries) { entries.push_back(entries.back()); });
  v = verify_bundle(twice, verify_);
  EXPECT_EQ(v.status, Status::kInvalid);
  EXPECT_TRUE(names(v, v.manifest.members.back().path, "more than once")) << v.describe();

  const std::string no_manifest = rewrite(file, "nomanifest.tusk.tar.gz", [](std::vector<Entry>& entries) {
    std::erase_if(entries, [](const Entry& e) { return e.name == kManifestName; });
  });
  EXPECT_TRUE(names(verify_bundle(no_manifest, verify_), "manifest.json", "missing"));
}

TEST_F(BundleTest, UnsafeMemberNamesAreRefused) {
  const std::string file = build("b.tusk.tar.gz", build_);
  for (const std::string name :
       {"../evil.tusk", "/etc/evil", "pack/../../evil", "pack//x", "pack/./x", "pack\\x"}) {
    const std::string bad = rewrite(file, "unsafe.tusk.tar.gz", [&](std::vector<Entry>& entries) {
      entries.push_back({name, "x"});
    });
    Verification v = verify_bundle(bad, verify_);
    EXPECT_EQ(v.status, Status::kInvalid) << name;
    EXPECT_TRUE(names(v, name, "refused")) << name << ": " << v.describe();
  }
  EXPECT_EQ(unsafe_name("pack/main.tusk"), "");
  EXPECT_EQ(unsafe_name("std/wildlife/lexicons/ivory.yaml"), "");
  EXPECT_NE(unsafe_name(""), "");
  EXPECT_NE(unsafe_name("pack/"), "");
  EXPECT_NE(unsafe_name(std::string("pack/a\nb")), "");
  EXPECT_NE(unsafe_name(".."), "");

  // A manifest that lists an unsafe path is refused too, before anything is unpacked.
  Manifest m;
  EXPECT_NE(
      parse_manifest(
          R"({"format":1,"name":"a","version":"1","digest":")" + std::string(64, 'a') +
              R"(","main":"","tusk_version":"0","created_at":"x","key_id":"","tests":{"passed":0,"failed":0,"failures_allowed":false},"members":[{"path":"pack/../x","role":"source","size":1,"sha256":")" +
              std::string(64, 'a') + R"("}]})",
          m)
          .find(".."),
      std::string::npos);
}

TEST_F(BundleTest, SizesAreBounded) {
  // A bomb: 8 MiB of zeros that gzip packs into a few KiB.
  const std::string bomb = (dir_ / "bomb.tusk.tar.gz").string();
  ASSERT_EQ(write_archive(bomb, {{"pack/huge.tusk", std::string(8u << 20, '\0')}}, 0), "");
  EXPECT_LT(fs::file_size(bomb), 64u * 1024);
  VerifyOptions tight = verify_;
  tight.bounds.max_member_bytes = 1u << 20;
  Verification v = verify_bundle(bomb, tight);
  EXPECT_EQ(v.status, Status::kInvalid);
  EXPECT_TRUE(names(v, "pack/huge.tusk", "over the limit")) << v.describe();
  tight = verify_;
  tight.bounds.max_total_bytes = 1u << 20;
  v = verify_bundle(bomb, tight);
  EXPECT_TRUE(names(v, "pack/huge.tusk", "limit for a bundle")) << v.describe();
  tight = verify_;
  tight.bounds.max_archive_bytes = 1000;
  v = verify_bundle(bomb, tight);
  EXPECT_TRUE(names(v, "", "over the limit")) << v.describe();
  tight = verify_;
  tight.bounds.max_members = 2;
  ASSERT_EQ(write_archive(bomb, {{"a", "1"}, {"b", "2"}, {"c", "3"}}, 0), "");
  EXPECT_TRUE(names(verify_bundle(bomb, tight), "", "more than 2 members"));
}

TEST_F(BundleTest, NotABundleAndNoFile) {
  const fs::path junk = dir_ / "junk.tusk.tar.gz";
  write(junk, "this is not gzip");
  Verification v = verify_bundle(junk.string(), verify_);
  EXPECT_EQ(v.status, Status::kInvalid);
  EXPECT_FALSE(v.problems.empty());
  // A truncated bundle.
  const std::string file = build("b.tusk.tar.gz", build_);
  std::string bytes = read(file);
  write(junk, bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(verify_bundle(junk.string(), verify_).status, Status::kInvalid);
  EXPECT_EQ(verify_bundle((dir_ / "absent.tusk.tar.gz").string(), verify_).status, Status::kIoError);
  EXPECT_EQ(load_bundle((dir_ / "absent.tusk.tar.gz").string(), verify_).status, Status::kIoError);
  EXPECT_TRUE(is_bundle_path("wildlife-1.2.0.tusk.tar.gz"));
  EXPECT_TRUE(is_bundle_path("x.tgz"));
  EXPECT_FALSE(is_bundle_path("examples/packs/wildlife"));
}

TEST_F(BundleTest, FailingTestsRefuseTheBundleUnlessAllowed) {
  write(pack_ / "tests/cases.yaml", std::string(kCases) + R"(  - name: a chair is blocked (wrong on purpose)
    listing: {id: a2, title: "Wooden chair"}
    expect:
      action: block
)");
  BuildResult r = build_bundle(pack_.string(), (dir_ / "f.tusk.tar.gz").string(), build_);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.usage_error);
  ASSERT_EQ(r.failed_tests.size(), 1u);
  EXPECT_NE(r.failed_tests[0].name.find("chair is blocked"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "f.tusk.tar.gz"));

  BuildOptions allow = build_;
  allow.allow_failing_tests = true;
  const std::string file = build("f.tusk.tar.gz", allow);
  Verification v = verify_bundle(file, verify_);
  EXPECT_EQ(v.status, Status::kOk) << v.describe();
  EXPECT_EQ(v.manifest.tests.failed, 1u);
  EXPECT_TRUE(v.manifest.tests.failures_allowed);
}

TEST_F(BundleTest, APackReadingOutsideItsDirectoryIsRefused) {
  write(dir_ / "shared.tusk", "rule shared_rule {\n  when text mentions local\n  score 5\n}\n");
  write(pack_ / "more.tusk", std::string("use \"../shared.tusk\"\n\n") + kMore);
  BuildResult r = build_bundle(pack_.string(), (dir_ / "o.tusk.tar.gz").string(), build_);
  EXPECT_FALSE(r.ok);
  // The front end confines `use` to the pack's directory (E050), so the pack does not compile;
  // the bundle's own check of member paths stands behind it.
  EXPECT_NE(r.diagnostics.find("E050"), std::string::npos) << r.error << r.diagnostics;
  EXPECT_FALSE(fs::exists(dir_ / "o.tusk.tar.gz"));
}

TEST_F(BundleTest, PackErrorsAndBadKeysAreReported) {
  write(pack_ / "more.tusk", "rule broken {\n  when text mentions no_such_lexicon\n  score 5\n}\n");
  BuildResult r = build_bundle(pack_.string(), (dir_ / "e.tusk.tar.gz").string(), build_);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.usage_error);
  EXPECT_NE(r.diagnostics.find("no_such_lexicon"), std::string::npos);
  BuildOptions bad_key = build_;
  bad_key.signing_key_pem = "not a key";
  r = build_bundle(pack_.string(), (dir_ / "e.tusk.tar.gz").string(), bad_key);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.usage_error);
  EXPECT_FALSE(build_bundle((dir_ / "nope").string(), (dir_ / "e.tusk.tar.gz").string(), build_).ok);
}

}  // namespace
}  // namespace tusk::bundle
