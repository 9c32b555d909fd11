#include "compiler/front/check_cache.h"

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "base/artifact_cache.h"
#include "base/sha256.h"
#include "base/version.h"

namespace tusk::compiler::front {
namespace {

// The version of the encoding below and of what parse_lexicon_file makes of a file: bump it
// when either changes, so that entries written by an older build are foreign, not misread.
constexpr int kFormat = 1;
constexpr std::string_view kExtension = ".tlx";
constexpr char kMagic[8] = {'T', 'U', 'S', 'K', 'L', 'E', 'X', '1'};

// In memory, by the key (which holds the content's SHA-256). Spans are stored with no source
// and get the file's id in the current load.
class MemoryCache {
 public:
  std::optional<std::vector<CheckedTerm>> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = files_.find(key);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  void add(const std::string& key, std::vector<CheckedTerm> terms) {
    for (auto& t : terms) t.span.source = base::kNoSource;
    std::lock_guard lock(mutex_);
    if (files_.count(key) != 0) return;  // another thread parsed the same file meanwhile
    // A bound, not a policy: the stdlib is ~10,000 terms, so only a process that loads many
    // different large lexicons over its life ever starts again from empty.
    if (terms_ + terms.size() > kMaxTerms) {
      files_.clear();
      terms_ = 0;
    }
    terms_ += terms.size();
    files_.emplace(key, std::move(terms));
  }
  void clear() {
    std::lock_guard lock(mutex_);
    files_.clear();
    terms_ = 0;
  }

 private:
  static constexpr std::size_t kMaxTerms = 200000;  // ~40 MB of terms
  std::size_t terms_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<CheckedTerm>> files_;
};

MemoryCache& memory() {
  static MemoryCache cache;
  return cache;
}

// Passed checks by key; few and small (one per distinct list of regexes).
struct PassedChecks {
  std::mutex mutex;
  std::unordered_set<std::string> keys;
};
PassedChecks& passed() {
  static PassedChecks checks;
  return checks;
}
constexpr std::string_view kPassed = "passed";

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof(v)); }
void put_str(std::string& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

// Reads the encoding front to back; any read past the end fails the whole decode.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool u32(std::uint32_t& v) { return raw(&v, sizeof(v)); }
  bool f64(double& v) { return raw(&v, sizeof(v)); }
  bool str(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || n > bytes_.size() - at_) return false;
    s.assign(bytes_.substr(at_, n));
    at_ += n;
    return true;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  bool raw(void* v, std::size_t n) {
    if (n > bytes_.size() - at_) return false;
    std::memcpy(v, bytes_.data() + at_, n);
    at_ += n;
    return true;
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

base::ArtifactCache disk(const CheckCacheOptions& options) {
  return base::ArtifactCache(options.dir.empty() ? base::default_cache_dir() : options.dir,
                             std::string(kExtension));
}

// Stores an entry; trims the directory after the first store of the process only. A cold load
// of the wildlife pack writes ~60 lexicon entries, and a trim after each (a listing and a stat
// of every entry) cost more than the writes; one trim per process still bounds the directory.
void store(const CheckCacheOptions& options, const std::string& key, const std::string& object) {
  static std::atomic<bool> trimmed{false};
  (void)disk(options).store(key, object, !trimmed.exchange(true));
}

bool disk_usable(const CheckCacheOptions& options) {
  return options.use_disk && !(options.dir.empty() && base::default_cache_dir().empty());
}

}  // namespace

std::string lexicon_cache_key(std::string_view text) {
  return fmt::format("tusk-lexicon key={}\ntusk={}\nbytes={}\nsha256={}\n", kFormat, base::version(),
                     text.size(), base::sha256_hex(text));
}

std::string encode_lexicon_terms(const std::vector<CheckedTerm>& terms) {
  std::string out(kMagic, sizeof(kMagic));
  put_u32(out, static_cast<std::uint32_t>(terms.size()));
  for (const CheckedTerm& t : terms) {
    put_str(out, t.text);
    put_u32(out, t.prefix ? 1 : 0);
    put_u32(out, static_cast<std::uint32_t>(t.edit_distance));
    put_str(out, t.lang);
    out.append(reinterpret_cast<const char*>(&t.weight), sizeof(t.weight));
    put_str(out, t.note);
    put_str(out, t.source);
    put_str(out, t.status);
    put_u32(out, t.span.begin);
    put_u32(out, t.span.end);
  }
  return out;
}

std::optional<std::vector<CheckedTerm>> decode_lexicon_terms(std::string_view bytes, std::size_t text_bytes) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return std::nullopt;
  }
  Reader in(bytes.substr(sizeof(kMagic)));
  std::uint32_t count = 0;
  // Each term takes at least 40 bytes, so a count beyond that is damage, not a reason to reserve.
  if (!in.u32(count) || count > bytes.size() / 40) return std::nullopt;
  std::vector<CheckedTerm> terms(count);
  for (CheckedTerm& t : terms) {
    std::uint32_t prefix = 0;
    std::uint32_t edits = 0;
    if (!in.str(t.text) || !in.u32(prefix) || !in.u32(edits) || !in.str(t.lang) || !in.f64(t.weight) ||
        !in.str(t.note) || !in.str(t.source) || !in.str(t.status) || !in.u32(t.span.begin) ||
        !in.u32(t.span.end)) {
      return std::nullopt;
    }
    // What parse_lexicon_file can produce, and nothing else.
    if (prefix > 1 || edits > 9 || t.span.begin > t.span.end || t.span.end > text_bytes) return std::nullopt;
    t.prefix = prefix == 1;
    t.edit_distance = static_cast<int>(edits);
  }
  if (!in.done()) return std::nullopt;
  return terms;
}

std::optional<std::vector<CheckedTerm>> find_parsed_lexicon(std::string_view text, base::SourceId source,
                                                            const CheckCacheOptions& options,
                                                            CheckCacheStatus* status) {
  CheckCacheStatus ignored;
  if (status == nullptr) status = &ignored;
  const std::string key = lexicon_cache_key(text);
  std::optional<std::vector<CheckedTerm>> terms = memory().find(key);
  if (terms) {
    status->lookup = "memory";
  } else if (!disk_usable(options)) {
    status->lookup = "off";
  } else {
    const base::ArtifactCache store = disk(options);
    status->path = store.path_for(key);
    std::string bytes;
    const base::CacheLookup lookup = store.load(key, bytes);
    status->lookup = base::to_string(lookup);
    if (lookup == base::CacheLookup::kHit) {
      terms = decode_lexicon_terms(bytes, text.size());
      if (!terms) {
        // The MAC held, so this is what a build with the same version wrote: a bug to fix,
        // not a reason to fail the load. The caller parses and overwrites it.
        status->lookup = "undecodable";
        return std::nullopt;
      }
      // Not copied into memory: decoding again costs what copying out of memory does, and a
      // one-shot load (the CLI) would pay for a copy it never uses.
      status->lookup = "disk";
    }
  }
  if (terms) {
    for (auto& t : *terms) t.span.source = source;
  }
  return terms;
}

void remember_parsed_lexicon(std::string_view text, const std::vector<CheckedTerm>& terms,
                             const CheckCacheOptions& options) {
  const std::string key = lexicon_cache_key(text);
  memory().add(key, terms);
  // A cache that cannot be written only costs speed, as for the other artifacts.
  if (disk_usable(options)) store(options, key, encode_lexicon_terms(terms));
}

void forget_parsed_lexicons() { memory().clear(); }

bool find_check_result(const std::string& key, const CheckCacheOptions& options) {
  {
    std::lock_guard lock(passed().mutex);
    if (passed().keys.count(key) != 0) return true;
  }
  if (!disk_usable(options)) return false;
  std::string bytes;
  if (disk(options).load(key, bytes) != base::CacheLookup::kHit || bytes != kPassed) return false;
  std::lock_guard lock(passed().mutex);
  passed().keys.insert(key);
  return true;
}

void remember_check_result(const std::string& key, const CheckCacheOptions& options) {
  {
    std::lock_guard lock(passed().mutex);
    passed().keys.insert(key);
  }
  if (disk_usable(options)) store(options, key, std::string(kPassed));
}

}  // namespace tusk::compiler::front
