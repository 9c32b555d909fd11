// build_bundle and write_key_pair.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/diagnostic.h"
#include "base/sha256.h"
#include "base/signature.h"
#include "base/source.h"
#include "bundle/internal.h"
#include "bundle/manifest.h"
#include "tools/test_runner.h"
#include "tusk/pack_sources.h"
#include "tusk/version.h"

namespace tusk::bundle {
namespace {

namespace fs = std::filesystem;

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

std::string utc_now(std::time_t& t) {
  t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool parse_utc(const std::string& s, std::time_t& t) {
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return false;
  t = ::timegm(&tm);
  return true;
}

BuildResult refuse(BuildResult r, std::string error, bool usage = true) {
  r.ok = false;
  r.error = std::move(error);
  r.usage_error = usage;
  return r;
}

// Writes `text` to `path` with `mode`; O_EXCL unless `overwrite`.
std::string write_new_file(const std::string& path, const std::string& text, mode_t mode, bool overwrite) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) return fmt::format("{} exists; pass --force to replace it", path);
    return fmt::format("cannot write {}: {}", path, std::strerror(errno));
  }
  // An existing file keeps its mode under O_TRUNC: set it.
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  return ok ? std::string() : fmt::format("cannot write {}: {}", path, std::strerror(errno));
}

}  // namespace

BuildResult build_bundle(const std::string& pack_path, const std::string& out_path,
                         const BuildOptions& options) {
  BuildResult r;
  std::error_code ec;
  if (!fs::exists(pack_path, ec)) return refuse(r, fmt::format("no such pack: {}", pack_path));
  const bool is_dir = fs::is_directory(pack_path, ec);
  const fs::path root = is_dir ? fs::path(pack_path) : fs::path(pack_path).parent_path();

  // The signing key first: a bad key should not cost a compile and a test run.
  std::string public_pem;
  if (!options.signing_key_pem.empty()) {
    std::string error;
    public_pem = base::ed25519_public_pem(options.signing_key_pem, error);
    if (public_pem.empty()) return refuse(r, fmt::format("the signing key is not usable: {}", error));
  }

  CompileResult compiled = Pack::compile(pack_path, options.compile);
  r.diagnostics = compiled.rendered;
  if (!compiled.pack) {
    r.pack_errors = true;
    return refuse(r, fmt::format("the pack {} has errors; run `tusk check {}`", pack_path, pack_path));
  }
  const Pack& pack = *compiled.pack;

  // Tests, as `tusk test` runs them.
  std::vector<tools::TestCase> cases = tools::inline_tests(pack);
  const tools::WorkflowSettings settings = tools::workflow_settings(pack_path);
  {
    base::SourceManager sources;
    base::Diagnostics diags;
    for (const auto& f : settings.test_files) tools::load_test_file(f, pack, sources, diags, cases);
    if (diags.has_errors()) {
      diags.sort();
      r.diagnostics += base::render_text(diags, sources);
      r.pack_errors = true;
      return refuse(r, "the pack's test files have errors; run `tusk test` on it");
    }
  }
  Manifest& m = r.manifest;
  {
    tools::TestRunner runner(compiled.pack);
    for (const auto& c : cases) {
      if (runner.run(c).passed) {
        ++m.tests.passed;
      } else {
        ++m.tests.failed;
        r.failed_tests.push_back({c.name, fmt::format("{}:{}", c.file, c.line)});
      }
    }
  }
  m.tests.failures_allowed = options.allow_failing_tests;
  if (m.tests.failed > 0 && !options.allow_failing_tests) {
    return refuse(
        r,
        fmt::format("{} of the pack's {} tests fail; a bundle is built from a pack whose tests pass "
                    "(run `tusk test {}`, or pass --allow-failing-tests)",
                    m.tests.failed, m.tests.failed + m.tests.passed, pack_path),
        false);
  }

  // Members: every file that entered the digest, then the YAML test files.
  std::vector<Entry> entries;
  auto add = [&](std::string path, std::string role, std::string data) {
    m.members.push_back({path, role, data.size(), base::sha256_hex(data)});
    entries.push_back({std::move(path), std::move(data)});
  };
  for (PackSource& s : pack_sources(pack)) {
    if (s.path.rfind("std/", 0) == 0) {
      add(s.path, "source", std::move(s.text));
      continue;
    }
    // A pack file is named relative to the pack's directory; a file read from elsewhere has
    // no place in the bundle.
    std::string on_disk;
    if (!unsafe_name(s.path).empty() || !read_file(root / s.path, on_disk) || on_disk != s.text) {
      return refuse(
          r, fmt::format("the pack reads `{}` from outside its directory; a bundle holds only the pack's "
                         "own files and the standard library",
                         s.path));
    }
    add("pack/" + s.path, "source", std::move(s.text));
  }
  for (const auto& f : settings.test_files) {
    const std::string rel = fs::path(f).lexically_relative(root).generic_string();
    std::string text;
    if (!unsafe_name(rel).empty() || rel.rfind("..", 0) == 0) {
      return refuse(r, fmt::format("the test file {} lies outside the pack directory", f));
    }
    if (!read_file(f, text)) return refuse(r, fmt::format("cannot read the test file {}", f));
    add("pack/" + rel, "test", std::move(text));
  }

  const PackInfo& info = pack.info();
  m.name = info.name;
  m.version = info.version;
  m.digest = info.digest;
  m.main = is_dir ? std::string() : fs::path(pack_path).filename().string();
  m.tusk_version = tusk::version();
  std::time_t mtime = 0;
  if (options.created_at.empty()) {
    m.created_at = utc_now(mtime);
  } else if (parse_utc(options.created_at, mtime)) {
    m.created_at = options.created_at;
  } else {
    return refuse(r,
                  fmt::format("created_at `{}` is not of the form 2025-01-31T12:00:00Z", options.created_at));
  }
  if (!public_pem.empty()) m.key_id = base::ed25519_key_id(public_pem);

  const std::string manifest = manifest_json(m);
  std::vector<Entry> archive;
  archive.push_back({kManifestName, manifest});
  if (!options.signing_key_pem.empty()) {
    std::string error;
    std::string signature = base::ed25519_sign(options.signing_key_pem, manifest, error);
    if (signature.empty()) return refuse(r, fmt::format("cannot sign the manifest: {}", error));
    archive.push_back({kSignatureName, std::move(signature)});
  }
  for (auto& e : entries) archive.push_back(std::move(e));

  // The bundle must pass its own verification, compiled from its files alone, before it is
  // written: same digest, within the bounds, signature valid.
  VerifyOptions check;
  check.compile = options.compile;
  check.bounds = options.bounds;
  std::uint64_t total = 0;
  for (const auto& e : archive) total += e.data.size();
  if (total > options.bounds.max_total_bytes) {
    return refuse(r, fmt::format("the bundle would unpack to {} bytes, over the limit of {}", total,
                                 options.bounds.max_total_bytes));
  }
  Verification v = verify_entries(archive, {}, public_pem, check);
  if (v.status != Status::kOk) {
    r.diagnostics += v.diagnostics;
    return refuse(r, "the bundle does not reproduce the pack: " + v.describe());
  }
  if (std::string error = write_archive(out_path, archive, mtime); !error.empty()) return refuse(r, error);
  r.ok = true;
  return r;
}

std::string write_key_pair(const std::string& private_path, bool overwrite) {
  base::Ed25519Keys keys;
  std::string error;
  if (!base::ed25519_generate(keys, error)) return error;
  const std::string public_path = private_path + ".pub";
  if (!overwrite) {
    std::error_code ec;
    if (fs::exists(public_path, ec)) return fmt::format("{} exists; pass --force to replace it", public_path);
  }
  if (std::string e = write_new_file(private_path, keys.private_pem, 0600, overwrite); !e.empty()) return e;
  if (std::string e = write_new_file(public_path, keys.public_pem, 0644, overwrite); !e.empty()) return e;
  return {};
}

}  // namespace tusk::bundle
