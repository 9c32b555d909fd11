#include "store/evidence.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/sha256.h"
#include "base/signature.h"
#include "tools/explain.h"
#include "tusk/pack.h"
#include "tusk/pack_sources.h"
#include "tusk/scanner.h"
#include "tusk/version.h"

namespace tusk::store {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kFormat = "tusk-evidence-1";
// Members outside the manifest: the manifest itself and what authenticates it.
const std::set<std::string> kEnvelope = {"manifest.json", "manifest.sha256", "manifest.sig",
                                         "public-key.pem"};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw StoreError(fmt::format("cannot read {}", p.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "tusk-evidence-XXXXXX").string();
    if (mkdtemp(t.data()) == nullptr) throw StoreError("cannot create a temporary directory");
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Writes `files` (prefix stripped) under `dir`; returns the path to compile: the pack directory,
// or its one .tusk file when it has no pack.yaml.
fs::path materialize(const std::map<std::string, std::string>& files, const std::string& prefix,
                     const fs::path& dir) {
  fs::path pack_file;
  for (const auto& [name, content] : files) {
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rel = name.substr(prefix.size());
    if (rel.find("..") != std::string::npos || rel.empty() || rel[0] == '/') continue;  // never outside `dir`
    const fs::path p = dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    if (rel.rfind("pack/", 0) == 0 && p.extension() == ".tusk" && pack_file.empty()) pack_file = p;
  }
  if (fs::exists(dir / "pack" / "pack.yaml")) return dir / "pack";
  return pack_file;
}

std::shared_ptr<const Pack> compile_at(const fs::path& pack, const fs::path& stdlib, std::string& error) {
  CompileOptions options;
  options.stdlib_dir = stdlib.string();
  options.use_cache = false;
  CompileResult r = Pack::compile(pack.string(), options);
  if (!r.pack) error = r.rendered.empty() ? "the pack does not compile" : r.rendered;
  return r.pack;
}

json decision_json(const Decision& d) {
  return {{"id", d.id},
          {"verdict_id", d.verdict_id},
          {"decision", d.decision},
          {"reviewer", d.reviewer},
          {"decided_at", d.decided_at},
          {"note", d.note},
          {"case_id", d.case_id},
          {"prev_hash", d.prev_hash},
          {"row_hash", d.row_hash}};
}

// A verdict's chain link with the fields its hash covers, except the record and the verdict,
// which are members of their own (record.json, verdict.json).
json verdict_link(const StoredVerdict& v) {
  return {{"id", v.id},
          {"listing_id", v.listing_id},
          {"seller_id", v.seller_id},
          {"lang", v.lang},
          {"family", v.family},
          {"tags", v.tags},
          {"action", v.action},
          {"received_at", v.received_at},
          {"record_sha256", v.record_sha256},
          {"pack_name", v.pack_name},
          {"pack_version", v.pack_version},
          {"pack_digest", v.pack_digest},
          {"prev_hash", v.prev_hash},
          {"row_hash", v.row_hash}};
}

constexpr const char* kReadme = R"(TUSK EVIDENCE BUNDLE

This archive records what an online listing said, when it was received, how Tusk's rules
judged it and what the human reviewers decided. docs/evidence.md in the Tusk source explains
it in full. In short:

  verdicts/<n>/record.json       the listing exactly as it was received (byte for byte)
  verdicts/<n>/record.sha256     its SHA-256 fingerprint (check: sha256sum -c record.sha256)
  verdicts/<n>/verdict.json      what the rules decided (action, score, rules, matched words)
  verdicts/<n>/explanation.txt   the same, step by step, for people
  verdicts/<n>/meta.json         receipt time (UTC), reviewer decisions, notes and times (UTC)
  chain/*.jsonl                  the store's hash-chain links for these rows
  packs/<digest>/                the rules (pack) and standard library that decided
  manifest.json                  the SHA-256 of every member above
  manifest.sha256                the SHA-256 of manifest.json
  manifest.sig, public-key.pem   an Ed25519 signature of manifest.json (when signed)

To check it: `tusk evidence verify THIS_FILE --public-key KEY.pem`, or by hand with
sha256sum and openssl as docs/evidence.md shows.
)";

class ArchiveWriter {
 public:
  explicit ArchiveWriter(const std::string& path) : a_(archive_write_new()) {
    archive_write_add_filter_gzip(a_);
    archive_write_set_format_pax_restricted(a_);
    if (archive_write_open_filename(a_, path.c_str()) != ARCHIVE_OK) {
      const std::string msg = archive_error_string(a_) ? archive_error_string(a_) : "unknown error";
      archive_write_free(a_);
      a_ = nullptr;
      throw StoreError(fmt::format("cannot write {}: {}", path, msg));
    }
    mtime_ = std::time(nullptr);
  }
  ~ArchiveWriter() {
    if (a_) archive_write_free(a_);
  }
  void add(const std::string& name, const std::string& content) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, mtime_, 0);
    const bool ok = archive_write_header(a_, e) == ARCHIVE_OK &&
                    (content.empty() || archive_write_data(a_, content.data(), content.size()) ==
                                            static_cast<la_ssize_t>(content.size()));
    archive_entry_free(e);
    if (!ok) {
      throw StoreError(fmt::format("cannot write {} into the bundle: {}", name, archive_error_string(a_)));
    }
  }
  void close() {
    if (archive_write_close(a_) != ARCHIVE_OK) {
      throw StoreError(fmt::format("cannot finish the bundle: {}", archive_error_string(a_)));
    }
  }

 private:
  archive* a_;
  std::time_t mtime_ = 0;
};

// Every regular member of a tar.gz, in archive order. Fills `error` for a damaged archive and
// `duplicates` for names that occur more than once.
std::vector<std::pair<std::string, std::string>> read_archive(const std::string& path, std::string& error) {
  std::vector<std::pair<std::string, std::string>> out;
  archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    error = archive_error_string(a) ? archive_error_string(a) : "cannot open";
    archive_read_free(a);
    return out;
  }
  archive_entry* e = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) {
      error = archive_error_string(a) ? archive_error_string(a) : "damaged archive";
      break;
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    std::string name = archive_entry_pathname(e);
    std::string content;
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) content.append(buf, static_cast<std::size_t>(n));
    if (n < 0) {
      error = fmt::format("{}: {}", name, archive_error_string(a) ? archive_error_string(a) : "cannot read");
      break;
    }
    out.emplace_back(std::move(name), std::move(content));
  }
  archive_read_free(a);
  return out;
}

}  // namespace

std::string effective_stdlib(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("TUSK_STDLIB"); env && *env) return env;
  return TUSK_STDLIB_DIR;
}

std::map<std::string, std::string> sources_of(const Pack& pack) {
  std::map<std::string, std::string> files;
  for (auto& f : pack_sources(pack)) {
    files[f.path.rfind("std/", 0) == 0 ? f.path : "pack/" + f.path] = std::move(f.text);
  }
  return files;
}

std::map<std::string, std::string> collect_pack_sources(const std::string& pack_path,
                                                        const std::string& stdlib_dir) {
  std::map<std::string, std::string> files;
  const fs::path pack(pack_path);
  std::error_code ec;
  if (fs::is_directory(pack, ec)) {
    for (auto it = fs::recursive_directory_iterator(pack, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string fname = it->path().filename().string();
      if (!fname.empty() && fname[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) {
        files["pack/" + it->path().lexically_relative(pack).generic_string()] = read_file(it->path());
      }
    }
  } else if (fs::is_regular_file(pack, ec)) {
    files["pack/" + pack.filename().string()] = read_file(pack);
  } else {
    throw StoreError(fmt::format("no such pack: {}", pack_path));
  }
  const fs::path std_dir(stdlib_dir);
  for (auto it = fs::recursive_directory_iterator(std_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".tusk" || ext == ".yaml" || ext == ".yml")) {
      files["std/" + it->path().lexically_relative(std_dir).generic_string()] = read_file(it->path());
    }
  }
  if (ec) throw StoreError(fmt::format("cannot read the standard library {}: {}", stdlib_dir, ec.message()));
  return files;
}

ExportResult export_evidence(Store& store, const ExportOptions& options, const std::string& path) {
  ExportResult result;
  const std::vector<StoredVerdict> verdicts = store.select(options.selection);
  const Selection& s = options.selection;
  const std::string what = !s.listing.empty()  ? "listing " + s.listing
                           : !s.seller.empty() ? "seller " + s.seller
                                               : "case " + s.case_id;
  if (verdicts.empty()) throw StoreError(fmt::format("the store has no verdict for {}", what));

  std::map<std::string, std::string> members;                // path -> bytes
  std::map<std::string, std::shared_ptr<const Pack>> packs;  // digest -> compiled from the bundled sources
  std::vector<TempDir> dirs;
  dirs.reserve(16);
  json chain_decisions = json::array();
  std::string verdict_links;
  std::string decision_links;

  for (const StoredVerdict& v : verdicts) {
    // The pack: its sources from the store (kept when its first verdict was written), else the
    // pack directory given, which must have the same digest.
    if (!packs.count(v.pack_digest)) {
      std::map<std::string, std::string> files = store.pack_files(v.pack_digest);
      if (files.empty()) {
        if (options.pack_dir.empty()) {
          throw StoreError(
              fmt::format("the store has no sources for pack {} {} (digest {}); give the pack directory "
                          "with --pack",
                          v.pack_name, v.pack_version, v.pack_digest));
        }
        files = collect_pack_sources(options.pack_dir, effective_stdlib(options.stdlib_dir));
      }
      dirs.emplace_back();
      const fs::path target = materialize(files, "", dirs.back().path());
      std::string error;
      auto pack = compile_at(target, dirs.back().path() / "std", error);
      if (!pack) {
        throw StoreError(fmt::format("the sources of pack {} do not compile:\n{}", v.pack_digest, error));
      }
      if (pack->info().digest != v.pack_digest) {
        throw StoreError(fmt::format("the pack sources have digest {}, not {} as the verdict says",
                                     pack->info().digest, v.pack_digest));
      }
      for (const auto& [name, content] : files) members["packs/" + v.pack_digest + "/" + name] = content;
      packs[v.pack_digest] = pack;
    }
    const std::string dir = fmt::format("verdicts/{}/", v.id);
    members[dir + "record.json"] = v.record;
    members[dir + "record.sha256"] = fmt::format("{}  record.json\n", base::sha256_hex(v.record));
    members[dir + "verdict.json"] = v.verdict_json;
    bool readable = false;
    members[dir + "explanation.txt"] = tools::explain_listing(packs[v.pack_digest], v.record, readable);
    json ds = json::array();
    for (const Decision& d : store.decisions(v.id)) {
      ds.push_back({{"decision", d.decision},
                    {"reviewer", d.reviewer},
                    {"decided_at", d.decided_at},
                    {"note", d.note},
                    {"case_id", d.case_id},
                    {"decision_id", d.id}});
      decision_links += decision_json(d).dump() + "\n";
      ++result.decisions;
    }
    json meta = {{"store_id", v.id},
                 {"listing_id", v.listing_id},
                 {"seller_id", v.seller_id},
                 {"received_at", v.received_at},
                 {"action", v.action},
                 {"score", v.score},
                 {"status", v.status},
                 {"record_sha256", v.record_sha256},
                 {"pack", {{"name", v.pack_name}, {"version", v.pack_version}, {"digest", v.pack_digest}}},
                 {"decisions", ds}};
    members[dir + "meta.json"] = meta.dump(2) + "\n";
    verdict_links += verdict_link(v).dump() + "\n";
    ++result.verdicts;
  }
  const ChainReport chain = store.verify_chain();
  if (!chain.ok) {
    for (const auto& p : chain.problems) result.warnings.push_back("the store's hash chain is broken: " + p);
  }
  members["chain/verdicts.jsonl"] = verdict_links;
  members["chain/decisions.jsonl"] = decision_links;
  json head = {{"store_chain_ok", chain.ok},
               {"store_chain_problems", chain.problems},
               {"verdicts_in_store", chain.verdicts},
               {"decisions_in_store", chain.decisions}};
  members["chain/store.json"] = head.dump(2) + "\n";
  members["tusk-version.txt"] = std::string(tusk::version()) + "\n";
  members["README.txt"] = kReadme;

  json manifest = {{"format", kFormat},
                   {"created_at", utc_now()},
                   {"tusk_version", tusk::version()},
                   {"selection", {{"listing", s.listing}, {"seller", s.seller}, {"case", s.case_id}}},
                   {"members", json::array()}};
  for (const auto& [name, content] : members) {
    manifest["members"].push_back(
        {{"path", name}, {"sha256", base::sha256_hex(content)}, {"size", content.size()}});
  }
  const std::string manifest_text = manifest.dump(2) + "\n";

  ArchiveWriter out(path);
  out.add("manifest.json", manifest_text);
  out.add("manifest.sha256", fmt::format("{}  manifest.json\n", base::sha256_hex(manifest_text)));
  if (!options.sign_key_pem.empty()) {
    std::string error;
    const std::string sig = base::ed25519_sign(options.sign_key_pem, manifest_text, error);
    if (sig.empty()) throw StoreError("cannot sign the bundle: " + error);
    const std::string pub = base::ed25519_public_pem(options.sign_key_pem, error);
    out.add("manifest.sig", sig);
    out.add("public-key.pem", pub);
    result.signed_ = true;
  }
  for (const auto& [name, content] : members) out.add(name, content);
  out.close();
  result.members = members.size();
  return result;
}

VerifyReport verify_evidence(const std::string& path, const VerifyOptions& options) {
  VerifyReport rep;
  auto problem = [&](std::string p) {
    rep.ok = false;
    rep.problems.push_back(std::move(p));
  };
  std::string error;
  const auto entries = read_archive(path, error);
  if (!error.empty()) {
    problem(fmt::format("{}: the archive is damaged or is not a tar.gz ({})", path, error));
    return rep;
  }
  std::map<std::string, std::string> files;
  for (const auto& [name, content] : entries) {
    if (!files.emplace(name, content).second) problem(fmt::format("{}: occurs twice in the archive", name));
  }

  // 1. The manifest and what authenticates it.
  const auto mf = files.find("manifest.json");
  if (mf == files.end()) {
    problem("manifest.json: missing");
    return rep;
  }
  const std::string& manifest_text = mf->second;
  const auto ms = files.find("manifest.sha256");
  if (ms == files.end() ||
      ms->second != fmt::format("{}  manifest.json\n", base::sha256_hex(manifest_text))) {
    problem(
        "manifest.json: its SHA-256 does not match manifest.sha256 (manifest.json or manifest.sha256 was "
        "changed)");
  } else {
    rep.passed.push_back("manifest.json matches manifest.sha256");
  }
  const auto sig = files.find("manifest.sig");
  const auto bundled_key = files.find("public-key.pem");
  if (sig != files.end()) {
    std::string key = options.public_key_pem;
    std::string key_name = "the public key you gave";
    if (key.empty()) {
      if (bundled_key == files.end()) {
        problem("public-key.pem: missing (the bundle is signed but carries no key; give --public-key)");
      }
      key = bundled_key == files.end() ? "" : bundled_key->second;
      key_name = "public-key.pem";
      rep.notes.push_back(
          "the signature was checked with the key inside the bundle: that proves the bundle is intact, "
          "not who made it; give the signer's public key with --public-key for that");
    } else if (bundled_key != files.end() && bundled_key->second != key) {
      problem(
          "public-key.pem: it is not the key you gave (the member was changed, or another key signed the "
          "bundle)");
    }
    if (!key.empty()) {
      std::string kerr;
      if (base::ed25519_verify(key, manifest_text, sig->second, kerr)) {
        rep.passed.push_back(fmt::format("manifest.json is signed (Ed25519) by {} (key SHA-256 {})", key_name,
                                         base::sha256_hex(key).substr(0, 16)));
      } else if (!kerr.empty()) {
        problem(fmt::format("{}: cannot be read as an Ed25519 public key ({})", key_name, kerr));
      } else {
        problem(fmt::format(
            "manifest.sig: the signature does not verify with {} (manifest.json, manifest.sig{} was "
            "changed, or another key signed it)",
            key_name, key_name == "public-key.pem" ? " or public-key.pem" : ""));
      }
    }
  } else if (!options.public_key_pem.empty()) {
    problem("manifest.sig: missing: the bundle is not signed, so it cannot be checked against your key");
  } else {
    rep.notes.push_back("the bundle is not signed: its hashes show it is intact, not who made it");
  }

  // 2. Every member against the manifest.
  const json manifest = json::parse(manifest_text, nullptr, false);
  if (!manifest.is_object() || manifest.value("format", "") != kFormat || !manifest.contains("members") ||
      !manifest["members"].is_array()) {
    problem("manifest.json: not a Tusk evidence manifest (" + std::string(kFormat) + ")");
    return rep;
  }
  std::set<std::string> listed;
  std::size_t matched = 0;
  for (const auto& m : manifest["members"]) {
    const std::string name = m.value("path", "");
    listed.insert(name);
    const auto f = files.find(name);
    if (f == files.end()) {
      problem(fmt::format("{}: listed in the manifest but missing from the archive", name));
    } else if (base::sha256_hex(f->second) != m.value("sha256", "") ||
               f->second.size() != m.value("size", 0u)) {
      problem(fmt::format("{}: its SHA-256 does not match the manifest: the member was changed", name));
    } else {
      ++matched;
    }
  }
  for (const auto& [name, content] : files) {
    if (!listed.count(name) && !kEnvelope.count(name)) {
      problem(fmt::format("{}: not listed in the manifest (added later)", name));
    }
  }
  if (rep.ok) {
    rep.passed.push_back(fmt::format("all {} members match their SHA-256 in the manifest", matched));
  }
  const std::string bundled_version = files.count("tusk-version.txt") ? files["tusk-version.txt"] : "";
  if (!rep.ok) {
    rep.notes.push_back("the verdicts were not re-run: the bundle failed the checks above");
    return rep;
  }

  // 3. Chain links: each verdict's and decision's hash recomputed from the bundled members.
  std::map<std::int64_t, json> links;
  {
    std::istringstream in(files["chain/verdicts.jsonl"]);
    for (std::string line; std::getline(in, line);) {
      json l = json::parse(line, nullptr, false);
      if (l.is_object()) links[l.value("id", std::int64_t{0})] = l;
    }
  }
  std::map<std::int64_t, std::string> decision_hash, decision_prev;
  {
    std::istringstream in(files["chain/decisions.jsonl"]);
    for (std::string line; std::getline(in, line);) {
      json l = json::parse(line, nullptr, false);
      if (!l.is_object()) {
        problem("chain/decisions.jsonl: a line is not JSON");
        continue;
      }
      Decision d;
      d.id = l.value("id", std::int64_t{0});
      d.verdict_id = l.value("verdict_id", std::int64_t{0});
      d.decision = l.value("decision", "");
      d.reviewer = l.value("reviewer", "");
      d.decided_at = l.value("decided_at", "");
      d.note = l.value("note", "");
      d.case_id = l.value("case_id", "");
      d.prev_hash = l.value("prev_hash", "");
      d.row_hash = l.value("row_hash", "");
      if (decision_row_hash(d) != d.row_hash) {
        problem(fmt::format("chain/decisions.jsonl: decision {} does not match its hash", d.id));
      }
      decision_hash[d.id] = d.row_hash;
      decision_prev[d.id] = d.prev_hash;
    }
  }
  for (const auto& [id, prev] : decision_prev) {
    if (auto p = decision_hash.find(id - 1); p != decision_hash.end() && p->second != prev) {
      problem(fmt::format("chain/decisions.jsonl: decision {} does not link to decision {}", id, id - 1));
    }
  }
  std::map<std::int64_t, std::string> verdict_hash;
  for (const auto& [id, l] : links) verdict_hash[id] = l.value("row_hash", "");

  std::map<std::string, std::shared_ptr<const Pack>> packs;
  std::vector<std::unique_ptr<TempDir>> dirs;
  for (const auto& [id, l] : links) {
    const std::string dir = fmt::format("verdicts/{}/", id);
    if (!files.count(dir + "record.json") || !files.count(dir + "verdict.json")) {
      problem(fmt::format("{}: the record or the verdict is missing", dir));
      continue;
    }
    const std::string& record = files[dir + "record.json"];
    const std::string& verdict_json = files[dir + "verdict.json"];
    if (files[dir + "record.sha256"] != fmt::format("{}  record.json\n", base::sha256_hex(record))) {
      problem(fmt::format("{}record.json: does not match {}record.sha256", dir, dir));
    }
    StoredVerdict v;
    v.id = id;
    v.listing_id = l.value("listing_id", "");
    v.seller_id = l.value("seller_id", "");
    v.lang = l.value("lang", "");
    v.family = l.value("family", "");
    if (l.contains("tags") && l["tags"].is_array()) {
      for (const auto& t : l["tags"]) {
        if (t.is_string()) v.tags.push_back(t.get<std::string>());
      }
    }
    v.action = l.value("action", "");
    v.received_at = l.value("received_at", "");
    v.record_sha256 = base::sha256_hex(record);
    v.pack_name = l.value("pack_name", "");
    v.pack_version = l.value("pack_version", "");
    v.pack_digest = l.value("pack_digest", "");
    v.verdict_json = verdict_json;
    v.prev_hash = l.value("prev_hash", "");
    v.row_hash = l.value("row_hash", "");
    if (verdict_row_hash(v) != v.row_hash) {
      problem(fmt::format(
          "{}: the record, the verdict or chain/verdicts.jsonl does not match the verdict's chain hash",
          dir));
      continue;
    }
    if (auto prev = verdict_hash.find(id - 1); prev != verdict_hash.end() && prev->second != v.prev_hash) {
      problem(fmt::format("chain/verdicts.jsonl: verdict {} does not link to verdict {}", id, id - 1));
    }
    const json meta = json::parse(files[dir + "meta.json"], nullptr, false);
    std::size_t nd = 0;
    if (meta.is_object() && meta.contains("decisions")) {
      for (const auto& d : meta["decisions"]) {
        if (!decision_hash.count(d.value("decision_id", std::int64_t{0}))) {
          problem(fmt::format("{}meta.json: decision {} has no chain link", dir,
                              d.value("decision_id", std::int64_t{0})));
        }
        ++nd;
      }
    }
    rep.passed.push_back(fmt::format(
        "verdict {} (listing {}): record SHA-256 {}…, chain hash {}…, {} decision{}", id, v.listing_id,
        v.record_sha256.substr(0, 12), v.row_hash.substr(0, 12), nd, nd == 1 ? "" : "s"));

    // 4. Reproduce: the bundled pack on the bundled record must give the bundled verdict.
    if (!options.reproduce) continue;
    if (!packs.count(v.pack_digest)) {
      std::map<std::string, std::string> pf;
      const std::string prefix = "packs/" + v.pack_digest + "/";
      for (const auto& [name, content] : files) {
        if (name.rfind(prefix, 0) == 0) pf[name.substr(prefix.size())] = content;
      }
      dirs.push_back(std::make_unique<TempDir>());
      const fs::path target = materialize(pf, "", dirs.back()->path());
      std::string cerr;
      auto pack = target.empty() ? nullptr : compile_at(target, dirs.back()->path() / "std", cerr);
      if (!pack) {
        problem(fmt::format("{}: the bundled pack does not compile: {}", prefix, cerr));
      } else if (pack->info().digest != v.pack_digest) {
        problem(fmt::format("{}: the bundled sources have digest {}, not {}", prefix, pack->info().digest,
                            v.pack_digest));
        pack = nullptr;
      }
      packs[v.pack_digest] = pack;
    }
    if (auto pack = packs[v.pack_digest]) {
      Scanner scanner(pack);
      const std::string again = to_json(scanner.scan(record));
      if (again == verdict_json) {
        rep.passed.push_back(
            fmt::format("verdict {} reproduced: pack {} {} (digest {}…) on the record gives the same verdict",
                        id, v.pack_name, v.pack_version, v.pack_digest.substr(0, 12)));
      } else {
        problem(fmt::format("{}verdict.json: not reproduced: the bundled pack now gives {}", dir, again));
      }
    }
  }
  std::string version = bundled_version;
  while (!version.empty() && version.back() == '\n') version.pop_back();
  if (!version.empty() && version != tusk::version()) {
    rep.notes.push_back(
        fmt::format("the bundle was made by Tusk {}; this is Tusk {}", version, tusk::version()));
  }
  return rep;
}

}  // namespace tusk::store
