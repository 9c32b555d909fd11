#include "serve/pack_location.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "bundle/bundle.h"
#include "serve/http_fetch.h"

namespace tusk::serve {
namespace fs = std::filesystem;

namespace {

// A pack directory has a few dozen files; the bound keeps a mistaken `--pack /` from walking
// the whole disk every poll.
constexpr std::size_t kMaxWatchedFiles = 10000;

std::string stat_print(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return fmt::format("{}:absent\n", p.string());
  return fmt::format("{}:{}:{}.{}\n", p.string(), static_cast<long long>(st.st_size),
                     static_cast<long long>(st.st_mtim.tv_sec), static_cast<long long>(st.st_mtim.tv_nsec));
}

LoadedPack from_bundle(const std::string& path, const std::string& public_key_file,
                       const CompileOptions& options) {
  bundle::VerifyOptions v;
  v.public_key_file = public_key_file;
  v.compile = options;
  bundle::LoadResult r = bundle::load_bundle(path, v);
  LoadedPack out;
  if (!r.pack) {
    // A bundle that fails verification is refused before anything of it runs: report it as
    // a compile-stage rejection (its digest, signature or members are wrong).
    out.stage = "compile";
    out.error = r.error;
    return out;
  }
  out.pack = std::move(r.pack);
  out.tests_passed = r.manifest.tests.passed;
  return out;
}

}  // namespace

PackLocation::PackLocation(LocationSettings settings)
    : s_(std::move(settings)), url_(serve::is_url(s_.location)) {}

PackLocation::~PackLocation() {
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string PackLocation::check() const {
  if (!url_) return "";
  Url url;
  if (std::string e = parse_url(s_.location, url); !e.empty()) {
    return fmt::format("--pack {}: {}", s_.location, e);
  }
  if (s_.public_key_file.empty()) {
    return "a pack fetched from a URL must be a signed bundle: give --public-key with the key it is signed "
           "with";
  }
  return "";
}

std::string PackLocation::fingerprint() const {
  std::error_code ec;
  const fs::path root(s_.location);
  if (!fs::is_directory(root, ec)) return stat_print(root);
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
    if (files.size() > kMaxWatchedFiles) break;
  }
  std::sort(files.begin(), files.end());
  std::string print;
  for (const auto& f : files) print += stat_print(f);
  return print;
}

LoadedPack PackLocation::load_downloaded(const std::string& bytes, const CompileOptions& options) {
  LoadedPack out;
  out.stage = "compile";
  if (dir_.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "tusk-serve-bundle-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      out.error = fmt::format("cannot create a private directory for downloads: {}", std::strerror(errno));
      return out;
    }
    dir_ = tmpl;
  }
  // A fresh name per download: a load in progress never sees a half-written file.
  static unsigned counter = 0;
  const std::string path = fmt::format("{}/bundle-{}.tusk.tar.gz", dir_, ++counter);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (std::size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ok = false;
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  if (!ok) {
    out.error = fmt::format("cannot write the downloaded bundle to {}: {}", path, std::strerror(errno));
    ::unlink(path.c_str());
    return out;
  }
  out = from_bundle(path, s_.public_key_file, options);
  ::unlink(path.c_str());
  return out;
}

LoadedPack PackLocation::load(const CompileOptions& options) {
  std::lock_guard lock(mutex_);
  if (!url_) {
    last_print_ = fingerprint();  // before loading: a change during the load is seen next poll
    if (bundle::is_bundle_path(s_.location)) {
      if (!fs::exists(s_.location)) {
        LoadedPack out;
        out.stage = "compile";
        out.error = fmt::format("no such bundle: {}", s_.location);
        return out;
      }
      return from_bundle(s_.location, s_.public_key_file, options);
    }
    return load_pack_source(s_.location, options);
  }
  std::string bytes;
  if (!pending_.empty()) {
    bytes.swap(pending_);
  } else {
    FetchRequest rq;
    rq.url = s_.location;
    rq.max_bytes = s_.max_bundle_bytes;
    rq.timeout_seconds = s_.fetch_timeout;
    rq.ca_file = s_.ca_file;
    FetchResponse res = http_get(rq);
    if (res.status != 200) {
      LoadedPack out;
      out.stage = "compile";
      out.error = res.status == 0 ? fmt::format("cannot fetch {}: {}", s_.location, res.error)
                                  : fmt::format("fetching {} was answered {}", s_.location, res.status);
      return out;
    }
    etag_ = res.etag;
    last_modified_ = res.last_modified;
    bytes = std::move(res.body);
  }
  return load_downloaded(bytes, options);
}

bool PackLocation::changed(std::string& error) {
  std::lock_guard lock(mutex_);
  error.clear();
  if (!url_) return fingerprint() != last_print_;
  FetchRequest rq;
  rq.url = s_.location;
  rq.max_bytes = s_.max_bundle_bytes;
  rq.timeout_seconds = s_.fetch_timeout;
  rq.ca_file = s_.ca_file;
  rq.if_none_match = etag_;
  rq.if_modified_since = etag_.empty() ? last_modified_ : std::string();
  FetchResponse res = http_get(rq);
  if (res.status == 304) return false;
  if (res.status != 200) {
    error = res.status == 0 ? fmt::format("cannot fetch {}: {}", s_.location, res.error)
                            : fmt::format("fetching {} was answered {}", s_.location, res.status);
    return false;
  }
  // A server without validators answers 200 every time: compare the bytes with what is
  // pending so an unchanged bundle is not reloaded every poll. (The loaded copy's digest is
  // compared by the server after loading; here equal validators are the cheap test.)
  const bool same_validators = !res.etag.empty() && res.etag == etag_;
  etag_ = res.etag;
  last_modified_ = res.last_modified;
  if (same_validators) return false;
  pending_ = std::move(res.body);
  return true;
}

}  // namespace tusk::serve
