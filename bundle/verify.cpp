// verify_bundle, load_bundle.
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/sha256.h"
#include "base/signature.h"
#include "bundle/internal.h"
#include "bundle/manifest.h"

namespace tusk::bundle {
namespace {

namespace fs = std::filesystem;

std::string short_hex(const std::string& h) { return h.size() > 12 ? h.substr(0, 12) + "…" : h; }

// A private directory (0700) holding the bundle's standard-library files while the pack
// compiles; removed when this goes out of scope.
class ScratchStdlib {
 public:
  ScratchStdlib() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl =
        (fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "tusk-bundle-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) dir_ = tmpl;
  }
  ~ScratchStdlib() {
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  ScratchStdlib(const ScratchStdlib&) = delete;
  ScratchStdlib& operator=(const ScratchStdlib&) = delete;
  const std::string& dir() const { return dir_; }
  // `rel` is a checked member name below std/.
  bool write(const std::string& rel, const std::string& data) {
    const fs::path p = fs::path(dir_) / rel;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return false;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(out);
  }

 private:
  std::string dir_;
};

Verification fail(Verification v, Status status, std::string member, std::string what) {
  v.status = status;
  v.problems.push_back({std::move(member), std::move(what)});
  return v;
}

}  // namespace

std::string Verification::describe() const {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += (p.member.empty() ? std::string("bundle") : p.member) + ": " + p.what;
  }
  return out;
}

Verification verify_entries(const std::vector<Entry>& entries, std::vector<Problem> problems,
                            const std::string& public_pem, const VerifyOptions& options) {
  Verification v;
  v.problems = std::move(problems);
  if (!public_pem.empty()) v.key_id = base::ed25519_key_id(public_pem);

  std::map<std::string, const Entry*> by_name;
  for (const Entry& e : entries) {
    if (!by_name.emplace(e.name, &e).second) {
      v.problems.push_back({e.name, "appears more than once in the archive"});
    }
  }
  const auto manifest_it = by_name.find(kManifestName);
  if (manifest_it == by_name.end()) {
    v.problems.push_back({kManifestName, "missing: this is not a Tusk bundle, or it was cut short"});
    v.status = Status::kInvalid;
    return v;
  }
  const std::string& manifest_text = manifest_it->second->data;
  if (std::string why = parse_manifest(manifest_text, v.manifest); !why.empty()) {
    v.problems.push_back({kManifestName, why});
    v.status = Status::kInvalid;
    return v;
  }

  // The signature, over the manifest's exact bytes.
  const auto sig_it = by_name.find(kSignatureName);
  v.is_signed = sig_it != by_name.end();
  if (!public_pem.empty()) {
    if (!v.is_signed) {
      v.problems.push_back(
          {kSignatureName, "missing: the bundle is not signed, and a public key is configured"});
    } else {
      std::string error;
      if (base::ed25519_verify(public_pem, manifest_text, sig_it->second->data, error)) {
        v.signature_checked = true;
      } else if (!error.empty()) {
        return fail(std::move(v), Status::kIoError, "", "the configured public key is not usable: " + error);
      } else {
        v.problems.push_back(
            {kSignatureName, fmt::format("the signature does not match the manifest under the configured "
                                         "key {} (signed by key {})",
                                         v.key_id, v.manifest.key_id.empty() ? "?" : v.manifest.key_id)});
      }
    }
  }

  // Every member against the manifest; nothing extra, nothing missing.
  std::set<std::string> listed;
  for (const Member& m : v.manifest.members) {
    listed.insert(m.path);
    const auto it = by_name.find(m.path);
    if (it == by_name.end()) {
      v.problems.push_back({m.path, "missing from the bundle (the manifest lists it)"});
      continue;
    }
    const std::string& data = it->second->data;
    if (data.size() != m.size) {
      v.problems.push_back({m.path, fmt::format("is {} bytes, the manifest says {}", data.size(), m.size)});
      continue;
    }
    const std::string sha = base::sha256_hex(data);
    if (sha != m.sha256) {
      v.problems.push_back({m.path, fmt::format("SHA-256 {} does not match the manifest's {}", short_hex(sha),
                                                short_hex(m.sha256))});
    }
  }
  for (const Entry& e : entries) {
    if (e.name != kManifestName && e.name != kSignatureName && listed.count(e.name) == 0) {
      v.problems.push_back({e.name, "is not listed in the manifest"});
    }
  }
  if (!v.problems.empty()) {
    v.status = Status::kInvalid;
    return v;  // nothing from a bundle that failed a check is compiled
  }

  // The pack, from the bundle's files alone: pack/ in memory, std/ in a private directory until
  // Pack::compile_sources reads the standard library from memory too.
  std::map<std::string, std::string> files;
  ScratchStdlib stdlib;
  if (stdlib.dir().empty()) {
    return fail(std::move(v), Status::kIoError, "", "cannot create a temporary directory");
  }
  for (const Member& m : v.manifest.members) {
    const std::string& data = by_name.at(m.path)->data;
    if (m.path.rfind("pack/", 0) == 0) {
      files[m.path.substr(5)] = data;
    } else if (!stdlib.write(m.path.substr(4), data)) {
      return fail(std::move(v), Status::kIoError, m.path,
                  "cannot write it to the temporary standard library directory");
    }
  }
  CompileOptions compile = options.compile;
  compile.stdlib_dir = stdlib.dir();
  CompileResult c = Pack::compile_sources(files, v.manifest.main, compile);
  if (!c.pack) {
    v.diagnostics = c.rendered;
    return fail(std::move(v), Status::kInvalid, "", "the bundled pack does not compile");
  }
  const PackInfo& info = c.pack->info();
  // Each message is built before `v` is moved into fail(): argument order is unspecified.
  if (info.digest != v.manifest.digest) {
    std::string why = fmt::format("the pack compiled from the bundle has digest {}, the manifest says {}",
                                  info.digest, v.manifest.digest);
    return fail(std::move(v), Status::kInvalid, "", std::move(why));
  }
  if (info.name != v.manifest.name || info.version != v.manifest.version) {
    std::string why = fmt::format("the bundled pack is {} {}, the manifest says {} {}", info.name,
                                  info.version, v.manifest.name, v.manifest.version);
    return fail(std::move(v), Status::kInvalid, "", std::move(why));
  }
  v.pack = std::move(c.pack);
  v.status = Status::kOk;
  return v;
}

Verification verify_bundle(const std::string& path, const VerifyOptions& options) {
  std::string public_pem = options.public_key_pem;
  if (public_pem.empty() && !options.public_key_file.empty()) {
    std::ifstream in(options.public_key_file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in.is_open() || (!in && !in.eof())) {
      return fail(Verification{}, Status::kIoError, "",
                  fmt::format("cannot read the public key {}", options.public_key_file));
    }
    public_pem = ss.str();
    std::string error;
    if (base::ed25519_key_id(public_pem).empty()) {
      return fail(
          Verification{}, Status::kIoError, "",
          fmt::format("{} is not an Ed25519 public key in PEM (BEGIN PUBLIC KEY)", options.public_key_file));
    }
  }
  ArchiveRead read = read_archive(path, options.bounds);
  if (read.io_error) {
    Verification v;
    v.status = Status::kIoError;
    v.problems = std::move(read.problems);
    return v;
  }
  return verify_entries(read.entries, std::move(read.problems), public_pem, options);
}

LoadResult load_bundle(const std::string& path, const VerifyOptions& options) {
  Verification v = verify_bundle(path, options);
  LoadResult r;
  r.status = v.status;
  r.manifest = std::move(v.manifest);
  if (v.status == Status::kOk) {
    r.pack = std::move(v.pack);
    return r;
  }
  r.error = fmt::format("bundle {} refused: ", path);
  for (std::size_t i = 0; i < v.problems.size(); ++i) {
    const Problem& p = v.problems[i];
    r.error += (i ? "; " : "") + (p.member.empty() ? std::string() : p.member + ": ") + p.what;
  }
  if (!v.diagnostics.empty()) r.error += "\n" + v.diagnostics;
  return r;
}

bool is_bundle_path(const std::string& path) {
  auto ends = [&](const char* s) {
    const std::string suffix(s);
    return path.size() > suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".tar.gz") || ends(".tgz");
}

}  // namespace tusk::bundle
