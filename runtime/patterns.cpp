// Pattern compilation and scanning on Vectorscan. How each PatternSpec becomes a Vectorscan
// expression, and why:
//
// - Exact and prefix terms compile to escaped literals with no flags and no SOM: a literal's
//   start is end - length, so start-of-match tracking (which costs scan speed) is not needed.
//   Word boundaries are checked in the match callback by decoding the neighbouring code points,
//   which keeps prefix extension simple and lets one literal serve every boundary rule.
// - Regexes compile with UTF8 | SOM_LEFTMOST so that `.` and classes are code points and starts
//   are exact. The database is a streaming one (HS_MODE_STREAM with the large SOM horizon, so
//   starts stay exact at any offset) scanned as one whole stream: in block mode Vectorscan
//   5.4.9's SOM path aborts the process ("*** buffer overflow detected ***", a fortified
//   snprintf into a too-small buffer in its reverse acceleration) on texts longer than a few
//   hundred bytes for shapes as plain as /x+y/, /o+k/ or /\d+ ?kg/; the streaming engine does
//   not use that path. patterns_test.cpp's SomShapes test scans regex shapes x text lengths.
//   On a CPU with AVX-512, Vectorscan 5.4.9's runtime (Debian's build dispatches each entry point
//   to a core2, corei7, avx2 or avx512 variant by the host's CPUID) loses start-of-match reports
//   of shapes like /x+y/, /o+k/ and /(?:ab)+c/: measured on an AMD EPYC with AVX-512, 9,656 of
//   28,000 placements of "xxy" in filler text went unreported; the avx2 variants of the same
//   library, given the same database compiled for AVX2, report all 28,000. So on such a host we
//   compile for AVX2 and call the avx2 entry points (runtime/vectorscan_runtime.h); the SomShapes test of
//   patterns_test.cpp fails without this on such a machine.
//   Not UCP: measured on Vectorscan 5.4.9, UCP rejects \b outright ("\b unsupported
//   in UCP mode"), makes \w+ and \w{2,10} "too large" under SOM, and grows databases 10-80x.
//   So \w \d \s \b are ASCII, as in PCRE by default; \p{L}, \p{N} give Unicode classes.
// - Edit-distance terms: Vectorscan's own approximate matching is byte-based and refuses UTF8,
//   and its leftmost start can land outside the word (" ivory" for "ivory"~1). So we compile a
//   code-point superset of the term's neighbourhood instead (every choice of N positions
//   replaced by `.{0,2}`, in UTF8 mode), take only its end offsets, and in the callback run a
//   backward Levenshtein DP over the code points before the end to find the best start that
//   respects the boundaries. The DP is the definition; Vectorscan only proposes ends.
#include "runtime/patterns.h"
#include "runtime/vectorscan_runtime.h"

#include "runtime/words.h"

#include "stdlib/regex_form.h"

#include <hs/hs.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace tusk::runtime {
namespace {

// ------------------------------------------------------------------ patterns

// kSentinel: see kSentinelExpression.
enum class Rule : std::uint8_t { kLiteral, kFuzzy, kRegex, kSentinel };

// Vectorscan 5.4.9 (Debian 12) loses literal matches near the end of a block in a database
// made only of literals, depending on the address of the text: "…resin 犀角 犀角" finds the
// first 犀角 at some buffer alignments and not at others (seen with two CJK literals, on an
// AVX-512 machine; one literal, or a set with a regex, is unaffected). Every database therefore
// gets one regex that can never match (0xFF never occurs in UTF-8, and scanned text is always
// valid UTF-8), which makes Vectorscan build its matcher differently. The differential test
// (tests/support/differential_test.cpp) is what caught it and what keeps it honest.
constexpr const char* kSentinelExpression = "\\xff\\xfe\\xff(?:a|b)";

struct PatternInfo {
  std::uint32_t caller_id = 0;
  Rule rule = Rule::kLiteral;
  bool left = false;    // first character must start a word
  bool right = false;   // last character must end a word
  bool prefix = false;  // extend the match to the end of the word
  std::uint32_t byte_len = 0;
  std::uint32_t edit_distance = 0;
  std::vector<char32_t> reversed;  // fuzzy terms: code points, last first (the DP runs backwards)
};

void append_escaped(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
      out += static_cast<char>(cp);
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    }
    return;
  }
  // Raw UTF-8: in UTF8 mode a \x{..} escape would also do, but raw bytes are right in both modes.
  char buf[4];
  int n = 0;
  if (cp < 0x800) {
    buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
  } else if (cp < 0x10000) {
    buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  } else {
    buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  out.append(buf, n);
}

// Beyond this many alternatives the superset expression gets slow to compile; such a term is
// rejected with a message rather than silently slowing down the whole pack.
constexpr std::size_t kMaxFuzzyBranches = 2048;

std::size_t choose(std::size_t n, std::size_t k) {
  std::size_t r = 1;
  for (std::size_t i = 1; i <= k; ++i) {
    r = r * (n - k + i) / i;
    if (r > kMaxFuzzyBranches) return r;
  }
  return r;
}

// A superset of every string within `d` code-point edits of `cps`: the alternation, over all
// sets of d positions, of the term with those positions replaced by `.{0,2}`. (Give each edit a
// position: a substitution or deletion its own, an insertion the next character, or the last
// one at the end; widening each edited position's claim to as many neighbours as it has edits
// makes every claimed block long enough for its text.)
std::string fuzzy_expression(const std::vector<char32_t>& cps, std::size_t d) {
  const std::size_t n = cps.size();
  std::vector<std::size_t> pick(d);
  for (std::size_t i = 0; i < d; ++i) pick[i] = i;
  std::string out = "(?:";
  bool first = true;
  while (true) {
    if (!first) out += '|';
    first = false;
    for (std::size_t i = 0, k = 0; i < n; ++i) {
      if (k < d && pick[k] == i) {
        out += ".{0,2}";
        ++k;
      } else {
        append_escaped(out, cps[i]);
      }
    }
    // next combination in lexicographic order
    std::size_t k = d;
    while (k > 0 && pick[k - 1] == n - d + (k - 1)) --k;
    if (k == 0) break;
    ++pick[k - 1];
    for (std::size_t j = k; j < d; ++j) pick[j] = pick[j - 1] + 1;
  }
  out += ')';
  return out;
}

struct Expression {
  std::string text;
  unsigned flags = 0;
};

// The checker validates regexes with the same form (compiler/regex_form.h).
bool regex_flags(const std::string& flags, Expression* expr, std::string* error) {
  stdlib::RegexForm form;
  if (!stdlib::regex_form(expr->text, flags, &form, error)) return false;
  expr->text = std::move(form.expression);
  expr->flags = form.hs_flags;
  return true;
}

// Turns one spec into its expression and callback info; false with *error when the spec itself
// is invalid (Vectorscan's own errors come later, from compiling).
bool lower(const PatternSpec& spec, Expression* expr, PatternInfo* info, std::string* error) {
  info->caller_id = spec.id;
  if (spec.kind == PatternKind::kRegex) {
    info->rule = Rule::kRegex;
    expr->text = spec.text;
    return regex_flags(spec.flags, expr, error);
  }
  if (!spec.flags.empty()) {
    *error = "flags apply to regexes only";
    return false;
  }
  if (spec.text.empty()) {
    *error = "empty term";
    return false;
  }
  if (spec.text.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    *error = "term too long";
    return false;
  }
  const std::vector<char32_t> cps = code_points(spec.text);
  const bool unspaced = std::any_of(cps.begin(), cps.end(), is_unspaced_script_char);
  info->left = !unspaced && is_word_char(cps.front());
  info->right = !unspaced && !spec.prefix && is_word_char(cps.back());
  info->prefix = spec.prefix;
  info->byte_len = static_cast<std::uint32_t>(spec.text.size());
  for (char32_t cp : cps) append_escaped(expr->text, cp);
  if (spec.edit_distance == 0) {
    info->rule = Rule::kLiteral;
    expr->flags = 0;
    return true;
  }
  const std::size_t d = static_cast<std::size_t>(spec.edit_distance);
  if (spec.edit_distance < 0 || spec.edit_distance > kMaxEditDistance) {
    *error = fmt::format("edit distance {} is out of range (0 to {})", spec.edit_distance, kMaxEditDistance);
    return false;
  }
  if (d >= cps.size()) {
    *error = fmt::format("edit distance {} needs a term longer than {} characters", d, d);
    return false;
  }
  if (choose(cps.size(), d) > kMaxFuzzyBranches) {
    *error = fmt::format("term of {} characters is too long for edit distance {}", cps.size(), d);
    return false;
  }
  info->rule = Rule::kFuzzy;
  info->edit_distance = static_cast<std::uint32_t>(d);
  info->reversed.assign(cps.rbegin(), cps.rend());
  expr->text = fuzzy_expression(cps, d);
  expr->flags = HS_FLAG_UTF8 | HS_FLAG_DOTALL;
  return true;
}

struct DatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};

}  // namespace

// ------------------------------------------------------------------ PatternDb

struct PatternDb::Impl {
  std::unique_ptr<hs_database_t, DatabaseDeleter> db;  // null when there are no patterns
  std::vector<PatternInfo> patterns;                   // indexed by Vectorscan id
  std::size_t max_fuzzy_len = 0;                       // DP buffer size, in code points
  // Unique per database over the process's life: what a PatternScratch keys its open stream by
  // (an address could be reused by the next database, whose streams have another size).
  std::uint64_t serial = 0;
};

PatternDb::PatternDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  static std::atomic<std::uint64_t> next_serial{1};
  impl_->serial = next_serial.fetch_add(1, std::memory_order_relaxed);
}
PatternDb::~PatternDb() = default;

std::size_t PatternDb::size() const {
  const auto& p = impl_->patterns;
  return p.size() - (!p.empty() && p.back().rule == Rule::kSentinel ? 1 : 0);
}

std::size_t PatternDb::bytes() const {
  std::size_t size = 0;
  if (impl_->db && hs_database_size(impl_->db.get(), &size) != HS_SUCCESS) return 0;
  return size;
}

namespace {

// Serialized databases start with this; it changes when the layout does.
constexpr std::string_view kMagic = "TUSKPDB2";  // 2: streaming databases

}  // namespace

std::string pattern_platform(const PatternDbOptions& options) {
  hs_platform_info_t platform{};
  if (!platform_for(options, &platform)) return "unknown-platform";
  return fmt::format("vectorscan={} layout={} target={} tune={} cpu_features={:#x}", hs_version(), kMagic,
                     options.target == PatternDbOptions::Target::kHost ? "host" : "generic", platform.tune,
                     platform.cpu_features);
}

namespace {

// Streaming mode with exact starts at any offset (see the top of this file for why not block).
constexpr unsigned kMode = HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE;

hs_database_t* compile_expressions(const std::vector<Expression>& exprs, const PatternDbOptions& options,
                                   std::string* error, std::uint32_t* bad) {
  std::vector<const char*> texts;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    texts.push_back(exprs[i].text.c_str());
    flags.push_back(exprs[i].flags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_platform_info_t platform{};
  if (!platform_for(options, &platform)) {
    *error = "cannot determine the host platform for Vectorscan";
    *bad = static_cast<std::uint32_t>(exprs.size());
    return nullptr;
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  const hs_error_t rc =
      hs_compile_ext_multi(texts.data(), flags.data(), ids.data(), nullptr,
                           static_cast<unsigned>(exprs.size()), kMode, &platform, &db, &err);
  if (rc == HS_SUCCESS) return db;
  *error = err && err->message ? err->message : "Vectorscan compile failed";
  *bad = err && err->expression >= 0 ? static_cast<std::uint32_t>(err->expression)
                                     : static_cast<std::uint32_t>(exprs.size());
  hs_free_compile_error(err);
  return nullptr;
}

}  // namespace

std::unique_ptr<PatternDb> PatternDb::compile(const std::vector<PatternSpec>& specs,
                                              const PatternDbOptions& options, std::string* error,
                                              std::uint32_t* bad_pattern) {
  std::string ignored_error;
  std::uint32_t ignored_bad = 0;
  if (!error) error = &ignored_error;
  if (!bad_pattern) bad_pattern = &ignored_bad;
  auto impl = std::make_unique<Impl>();
  std::vector<Expression> exprs(specs.size());
  impl->patterns.resize(specs.size());
  if (specs.size() > std::numeric_limits<unsigned>::max() / 2) {
    *error = "too many patterns";
    *bad_pattern = static_cast<std::uint32_t>(specs.size());
    return nullptr;
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (!lower(specs[i], &exprs[i], &impl->patterns[i], error)) {
      *bad_pattern = static_cast<std::uint32_t>(i);
      return nullptr;
    }
    impl->max_fuzzy_len = std::max(impl->max_fuzzy_len, impl->patterns[i].reversed.size());
  }
  if (!exprs.empty()) {
    exprs.push_back(Expression{kSentinelExpression, HS_FLAG_SOM_LEFTMOST});
    impl->patterns.push_back(PatternInfo{});
    impl->patterns.back().rule = Rule::kSentinel;
    hs_database_t* db = compile_expressions(exprs, options, error, bad_pattern);
    if (!db) return nullptr;
    impl->db.reset(db);
  }
  return std::unique_ptr<PatternDb>(new PatternDb(std::move(impl)));
}

std::string PatternDb::check_regex(const std::string& pattern, const std::string& flags) {
  Expression expr{pattern, 0};
  std::string error;
  if (!regex_flags(flags, &expr, &error)) return error;
  std::uint32_t bad = 0;
  hs_database_t* db = compile_expressions({expr}, PatternDbOptions{}, &error, &bad);
  if (!db) return error.empty() ? "Vectorscan compile failed" : error;
  hs_free_database(db);
  return "";
}

// ------------------------------------------------------------------ serialization
//
// Layout: "TUSKPDB2", u32 pattern count, per pattern {u32 caller id, u8 rule, u8 bits,
// u32 byte_len, u32 edit distance, u32 n, n x u32 reversed code points}, u64 db length, db.

namespace {

template <typename T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

struct Reader {
  std::string_view in;
  bool ok = true;
  template <typename T>
  T get() {
    T v{};
    if (in.size() < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, in.data(), sizeof(T));
    in.remove_prefix(sizeof(T));
    return v;
  }
};

}  // namespace

std::string PatternDb::serialize() const {
  std::string out(kMagic);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(impl_->patterns.size()));
  for (const PatternInfo& p : impl_->patterns) {
    put<std::uint32_t>(out, p.caller_id);
    put<std::uint8_t>(out, static_cast<std::uint8_t>(p.rule));
    put<std::uint8_t>(out, static_cast<std::uint8_t>(p.left | (p.right << 1) | (p.prefix << 2)));
    put<std::uint32_t>(out, p.byte_len);
    put<std::uint32_t>(out, p.edit_distance);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(p.reversed.size()));
    for (char32_t c : p.reversed) put<std::uint32_t>(out, c);
  }
  char* bytes = nullptr;
  std::size_t length = 0;
  if (impl_->db && hs_serialize_database(impl_->db.get(), &bytes, &length) != HS_SUCCESS) {
    return "";
  }
  put<std::uint64_t>(out, length);
  out.append(bytes ? bytes : "", length);
  std::free(bytes);
  return out;
}

std::unique_ptr<PatternDb> PatternDb::deserialize(std::string_view bytes, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    *error = "not a serialized Tusk pattern database";
    return nullptr;
  }
  Reader r{bytes.substr(kMagic.size())};
  auto impl = std::make_unique<Impl>();
  const std::uint32_t count = r.get<std::uint32_t>();
  // Each pattern takes at least 18 bytes: bound the reservation by the input size.
  if (!r.ok || count > r.in.size() / 18) {
    *error = "truncated pattern database";
    return nullptr;
  }
  impl->patterns.resize(count);
  for (PatternInfo& p : impl->patterns) {
    p.caller_id = r.get<std::uint32_t>();
    const auto rule = r.get<std::uint8_t>();
    const auto bits = r.get<std::uint8_t>();
    p.byte_len = r.get<std::uint32_t>();
    p.edit_distance = r.get<std::uint32_t>();
    const std::uint32_t n = r.get<std::uint32_t>();
    if (!r.ok || rule > static_cast<std::uint8_t>(Rule::kSentinel) || n > r.in.size() / 4 ||
        p.edit_distance > static_cast<std::uint32_t>(kMaxEditDistance)) {
      *error = "corrupt pattern database";
      return nullptr;
    }
    p.rule = static_cast<Rule>(rule);
    p.left = bits & 1;
    p.right = bits & 2;
    p.prefix = bits & 4;
    for (std::uint32_t i = 0; i < n; ++i) p.reversed.push_back(r.get<std::uint32_t>());
    impl->max_fuzzy_len = std::max(impl->max_fuzzy_len, p.reversed.size());
  }
  const std::uint64_t length = r.get<std::uint64_t>();
  if (!r.ok || length != r.in.size() || (length == 0) != (count == 0)) {
    *error = "corrupt pattern database";
    return nullptr;
  }
  if (length > 0) {
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(r.in.data(), r.in.size(), &db) != HS_SUCCESS) {
      *error = "corrupt or incompatible Vectorscan database";
      return nullptr;
    }
    impl->db.reset(db);
    // Scanning opens a stream; a block-mode database would fail every scan (and so match nothing).
    char* info = nullptr;
    const bool streaming = hs_database_info(db, &info) == HS_SUCCESS && info != nullptr &&
                           std::strstr(info, "Mode: STREAM") != nullptr;
    std::free(info);
    if (!streaming) {
      *error = "incompatible Vectorscan database (not a streaming one)";
      return nullptr;
    }
    // A database built for CPU features this machine lacks fails only here, not above.
    hs_scratch_t* scratch = nullptr;
    const hs_error_t rc = hs_alloc_scratch(db, &scratch);
    hs_free_scratch(scratch);
    if (rc != HS_SUCCESS) {
      *error = rc == HS_DB_PLATFORM_ERROR
                   ? "pattern database was compiled for another CPU (use the generic target)"
                   : "incompatible Vectorscan database";
      return nullptr;
    }
  }
  return std::unique_ptr<PatternDb>(new PatternDb(std::move(impl)));
}

// ------------------------------------------------------------------ PatternScratch

struct PatternScratch::Impl {
  hs_scratch_t* scratch = nullptr;
  std::vector<std::uint32_t> prev, cur;  // DP rows for fuzzy terms
  std::vector<Match> raw;                // matches of one scan, by Vectorscan id
  // One stream per database scanned with this scratch, opened on first use and reset after
  // each scan rather than closed and opened again, which saves the stream's allocation and
  // free: ~140 instructions a field, 0.9% of a comparison listing (docs/performance.md, "Scan
  // path, fifth round"). Keyed by PatternDb::Impl::serial.
  struct OpenStream {
    std::uint64_t serial;
    hs_stream_t* stream;
  };
  std::vector<OpenStream> streams;
  // A scratch outlives packs that are reloaded; the streams of databases gone are dropped
  // together once there are this many.
  static constexpr std::size_t kMaxStreams = 16;

  hs_stream_t* stream_for(const PatternDb::Impl& d) {
    for (const OpenStream& s : streams) {
      if (s.serial == d.serial) return s.stream;
    }
    if (streams.size() >= kMaxStreams) close_streams();
    hs_stream_t* stream = nullptr;
    if (som_runtime().open(d.db.get(), 0, &stream) != HS_SUCCESS) return nullptr;
    streams.push_back({d.serial, stream});
    return stream;
  }
  // A stream whose reset failed is in no known state: it is closed, and the next scan opens
  // a new one.
  void drop_stream(std::uint64_t serial) {
    for (std::size_t i = 0; i < streams.size(); ++i) {
      if (streams[i].serial != serial) continue;
      som_runtime().close(streams[i].stream, nullptr, nullptr, nullptr);
      streams.erase(streams.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
  void close_streams() {
    // Without a scratch or a callback, closing only frees the stream: it needs no database.
    for (const OpenStream& s : streams) som_runtime().close(s.stream, nullptr, nullptr, nullptr);
    streams.clear();
  }
  ~Impl() {
    close_streams();
    hs_free_scratch(scratch);
  }
};

PatternScratch::PatternScratch() : impl_(std::make_unique<Impl>()) {}
PatternScratch::PatternScratch(const PatternDb& db) : PatternScratch() { reserve(db); }
PatternScratch::PatternScratch(PatternScratch&&) noexcept = default;
PatternScratch& PatternScratch::operator=(PatternScratch&&) noexcept = default;
PatternScratch::~PatternScratch() = default;

bool PatternScratch::reserve(const PatternDb& db) {
  if (!db.impl_->db) return true;
  return hs_alloc_scratch(db.impl_->db.get(), &impl_->scratch) == HS_SUCCESS;
}

// ------------------------------------------------------------------ scan

namespace {

struct ScanContext {
  const std::vector<PatternInfo>* patterns;
  std::string_view text;
  std::vector<Match>* out;
  std::vector<std::uint32_t>* prev;
  std::vector<std::uint32_t>* cur;
};

bool left_ok(const PatternInfo& p, std::string_view text, std::size_t start) {
  return !p.left || (joins_after(text, start) && !joins_before(text, start));
}

bool right_ok(const PatternInfo& p, std::string_view text, std::size_t end) {
  return !p.right || (joins_before(text, end) && !joins_after(text, end));
}

// Best start for a fuzzy candidate ending at `end`: Levenshtein DP of the reversed term against
// the code points before `end`, one row per code point walked back. Returns false when no
// boundary-respecting start is within the edit distance.
bool fuzzy_start(const PatternInfo& p, ScanContext& ctx, std::size_t end, std::size_t* start) {
  const std::vector<char32_t>& q = p.reversed;
  const std::size_t n = q.size();
  const std::uint32_t d = p.edit_distance;
  auto& prev = *ctx.prev;
  auto& cur = *ctx.cur;
  for (std::size_t j = 0; j <= n; ++j) prev[j] = static_cast<std::uint32_t>(j);
  std::uint32_t best = d + 1;
  std::size_t pos = end;
  for (std::size_t k = 1; k <= n + d && pos > 0; ++k) {
    std::size_t cp_start = 0;
    const char32_t c = decode_before(ctx.text, pos, &cp_start);
    pos = cp_start;
    cur[0] = static_cast<std::uint32_t>(k);
    std::uint32_t row_min = cur[0];
    for (std::size_t j = 1; j <= n; ++j) {
      const std::uint32_t sub = prev[j - 1] + (c == q[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    // `<=` prefers the leftmost start among equally good ones.
    if (cur[n] <= d && cur[n] <= best && left_ok(p, ctx.text, pos)) {
      best = cur[n];
      *start = pos;
    }
    if (row_min > d) break;  // rows never get better further back
    std::swap(prev, cur);
  }
  return best <= d;
}

int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int, void* context) {
  auto& ctx = *static_cast<ScanContext*>(context);
  const PatternInfo& p = (*ctx.patterns)[id];
  std::size_t start = static_cast<std::size_t>(from);
  std::size_t end = static_cast<std::size_t>(to);
  switch (p.rule) {
    case Rule::kSentinel:
      return 0;
    case Rule::kRegex:
      break;
    case Rule::kLiteral:
      start = end - p.byte_len;
      if (!left_ok(p, ctx.text, start) || !right_ok(p, ctx.text, end)) return 0;
      break;
    case Rule::kFuzzy:
      if (!right_ok(p, ctx.text, end) || !fuzzy_start(p, ctx, end, &start)) return 0;
      break;
  }
  if (p.prefix) end = extend_word(ctx.text, end);
  ctx.out->push_back(Match{id, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
  return 0;
}

}  // namespace

void scan(const PatternDb& db, PatternScratch& scratch, std::string_view text, std::vector<Match>& out) {
  const PatternDb::Impl& d = *db.impl_;
  if (!d.db || text.size() > std::numeric_limits<std::uint32_t>::max()) return;
  PatternScratch::Impl& s = *scratch.impl_;
  if (s.prev.size() < d.max_fuzzy_len + 1) {
    s.prev.resize(d.max_fuzzy_len + 1);
    s.cur.resize(d.max_fuzzy_len + 1);
  }
  s.raw.clear();
  ScanContext ctx{&d.patterns, text, &s.raw, &s.prev, &s.cur};
  // The text is one whole stream: the reset after it reports the matches that need the end of
  // the text (`$`, a final \b), as closing the stream would, and leaves the stream as a newly
  // opened one for the next text.
  const SomRuntime& hs = som_runtime();
  auto run = [&]() -> hs_error_t {
    hs_stream_t* stream = s.stream_for(d);
    if (stream == nullptr) return HS_NOMEM;
    hs_error_t rc =
        hs.scan(stream, text.data(), static_cast<unsigned>(text.size()), 0, s.scratch, on_match, &ctx);
    if (rc != HS_SUCCESS) {
      if (hs.reset(stream, 0, nullptr, nullptr, nullptr) != HS_SUCCESS) s.drop_stream(d.serial);
      return rc;
    }
    rc = hs.reset(stream, 0, s.scratch, on_match, &ctx);
    if (rc != HS_SUCCESS) s.drop_stream(d.serial);
    return rc;
  };
  hs_error_t rc = s.scratch ? run() : HS_INVALID;
  if (rc == HS_INVALID) {
    // The scratch is too small for this database (or not allocated yet): grow it once.
    if (!scratch.reserve(db)) return;
    s.raw.clear();
    rc = run();
  }
  if (rc != HS_SUCCESS) return;

  // Vectorscan reports a regex at every end offset ("ngà" gives [0,1) [0,2) [0,4) for \p{L}+);
  // keep the longest end per start so that evidence and counts see one match per occurrence.
  std::sort(s.raw.begin(), s.raw.end(), [](const Match& a, const Match& b) {
    if (a.id != b.id) return a.id < b.id;
    if (a.start != b.start) return a.start < b.start;
    return a.end < b.end;
  });
  const std::size_t first = out.size();
  for (std::size_t i = 0; i < s.raw.size(); ++i) {
    const Match& m = s.raw[i];
    const PatternInfo& p = d.patterns[m.id];
    if (p.rule == Rule::kRegex && i + 1 < s.raw.size() && s.raw[i + 1].id == m.id &&
        s.raw[i + 1].start == m.start) {
      continue;
    }
    out.push_back(Match{p.caller_id, m.start, m.end});
  }
  auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, out.end(), [](const Match& a, const Match& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.id != b.id) return a.id < b.id;
    return a.end < b.end;
  });
  out.erase(std::unique(begin, out.end()), out.end());
}

}  // namespace tusk::runtime
