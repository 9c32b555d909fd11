#include "store/store.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "base/sha256.h"
#include "store/db.h"

namespace tusk::store {

using internal::Param;
using internal::Row;
using json = nlohmann::json;

namespace {

// Versioned migrations, applied in order, each once (table schema_migrations). {blob} and
// {real} are the dialect's column types. Never edit a migration that has shipped: add one.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};
constexpr Migration kMigrations[] = {
    {1, "verdicts, decisions, audit log, chain heads", R"sql(
CREATE TABLE verdicts (
  id BIGINT PRIMARY KEY,
  listing_id TEXT NOT NULL, seller_id TEXT NOT NULL, lang TEXT NOT NULL, family TEXT NOT NULL,
  tags TEXT NOT NULL, action TEXT NOT NULL, score {real} NOT NULL,
  received_at TEXT NOT NULL, record {blob} NOT NULL, record_sha256 TEXT NOT NULL,
  pack_name TEXT NOT NULL, pack_version TEXT NOT NULL, pack_digest TEXT NOT NULL,
  verdict_json TEXT NOT NULL, status TEXT NOT NULL,
  prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);
CREATE TABLE decisions (
  id BIGINT PRIMARY KEY, verdict_id BIGINT NOT NULL REFERENCES verdicts(id),
  decision TEXT NOT NULL, reviewer TEXT NOT NULL, decided_at TEXT NOT NULL, note TEXT NOT NULL,
  case_id TEXT NOT NULL, prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL,
  before_state TEXT NOT NULL, after_state TEXT NOT NULL);
CREATE TABLE chain_heads (chain TEXT PRIMARY KEY, last_id BIGINT NOT NULL, last_hash TEXT NOT NULL);
)sql"},
    {2, "pack sources by digest; indexes for the queue and evidence selections", R"sql(
CREATE TABLE pack_files (digest TEXT NOT NULL, path TEXT NOT NULL, content {blob} NOT NULL,
  PRIMARY KEY (digest, path));
CREATE INDEX verdicts_queue ON verdicts (status, action, score);
CREATE INDEX verdicts_listing ON verdicts (listing_id);
CREATE INDEX verdicts_seller ON verdicts (seller_id);
CREATE INDEX decisions_verdict ON decisions (verdict_id);
CREATE INDEX decisions_case ON decisions (case_id);
)sql"},
};

constexpr const char* kVerdictColumns =
    "v.id, v.listing_id, v.seller_id, v.lang, v.family, v.tags, v.action, v.score, v.received_at, v.record, "
    "v.record_sha256, v.pack_name, v.pack_version, v.pack_digest, v.verdict_json, v.status, v.prev_hash, "
    "v.row_hash";
constexpr const char* kDecisionColumns =
    "d.id, d.verdict_id, d.decision, d.reviewer, d.decided_at, d.note, d.case_id, d.prev_hash, d.row_hash";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) {
    s.replace(p, from.size(), to);
  }
  return s;
}

const std::string& col(const Row& r, std::size_t i) {
  static const std::string kEmpty;
  return r[i] ? *r[i] : kEmpty;
}

StoredVerdict verdict_from(const Row& r) {
  StoredVerdict v;
  v.id = std::stoll(col(r, 0));
  v.listing_id = col(r, 1);
  v.seller_id = col(r, 2);
  v.lang = col(r, 3);
  v.family = col(r, 4);
  json tags = json::parse(col(r, 5), nullptr, false);
  if (tags.is_array()) {
    for (const auto& t : tags) {
      if (t.is_string()) v.tags.push_back(t.get<std::string>());
    }
  }
  v.action = col(r, 6);
  v.score = std::strtod(col(r, 7).c_str(), nullptr);
  v.received_at = col(r, 8);
  v.record = col(r, 9);
  v.record_sha256 = col(r, 10);
  v.pack_name = col(r, 11);
  v.pack_version = col(r, 12);
  v.pack_digest = col(r, 13);
  v.verdict_json = col(r, 14);
  v.status = col(r, 15);
  v.prev_hash = col(r, 16);
  v.row_hash = col(r, 17);
  return v;
}

Decision decision_from(const Row& r) {
  Decision d;
  d.id = std::stoll(col(r, 0));
  d.verdict_id = std::stoll(col(r, 1));
  d.decision = col(r, 2);
  d.reviewer = col(r, 3);
  d.decided_at = col(r, 4);
  d.note = col(r, 5);
  d.case_id = col(r, 6);
  d.prev_hash = col(r, 7);
  d.row_hash = col(r, 8);
  return d;
}

// Canonical bytes: a kind line, then per field "name LENGTH\nVALUE\n" — unambiguous whatever
// the values hold.
class Canonical {
 public:
  explicit Canonical(std::string_view kind) { out_ = std::string(kind) + "\n"; }
  Canonical& add(std::string_view name, std::string_view value) {
    out_ += fmt::format("{} {}\n", name, value.size());
    out_ += value;
    out_ += '\n';
    return *this;
  }
  std::string sha256() const { return base::sha256_hex(out_); }

 private:
  std::string out_;
};

std::string tags_json(const std::vector<std::string>& tags) { return json(tags).dump(); }

std::string status_after(const std::string& decision) {
  if (decision == "confirm") return "confirmed";
  if (decision == "dismiss") return "dismissed";
  if (decision == "escalate") return "escalated";
  throw StoreError(fmt::format("unknown decision \"{}\": expected confirm, dismiss or escalate", decision));
}

std::string like_pattern(std::string_view s) {
  std::string out = "%";
  for (char c : json(std::string(s)).dump()) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// Rolls back unless committed.
class WriteTxn {
 public:
  explicit WriteTxn(internal::Db& db) : db_(db) { db_.begin_write(); }
  ~WriteTxn() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {
      }
    }
  }
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  internal::Db& db_;
  bool done_ = false;
};

std::pair<std::int64_t, std::string> head(internal::Db& db, const char* chain) {
  auto rows = db.query("SELECT last_id, last_hash FROM chain_heads WHERE chain = ?", {internal::text(chain)});
  if (rows.empty()) return {0, kGenesisHash};
  return {std::stoll(col(rows[0], 0)), col(rows[0], 1)};
}

void set_head(internal::Db& db, const char* chain, std::int64_t id, const std::string& hash) {
  db.query("DELETE FROM chain_heads WHERE chain = ?", {internal::text(chain)});
  db.query("INSERT INTO chain_heads (chain, last_id, last_hash) VALUES (?, ?, ?)",
           {internal::text(chain), internal::text(std::to_string(id)), internal::text(hash)});
}

}  // namespace

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms);
}

std::optional<std::string> parse_utc(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  if (!(digits(0, 4) && s.size() >= 10 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2))) {
    return std::nullopt;
  }
  if (s.size() == 10) return std::string(s) + "T00:00:00.000Z";
  if (!(s.size() >= 20 && s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
        digits(17, 2))) {
    return std::nullopt;
  }
  if (s.size() == 20 && s[19] == 'Z') return std::string(s.substr(0, 19)) + ".000Z";
  if (s.size() == 24 && s[19] == '.' && digits(20, 3) && s[23] == 'Z') return std::string(s);
  return std::nullopt;
}

NewVerdict NewVerdict::from(std::string_view record, const Verdict& verdict, std::string_view verdict_json) {
  NewVerdict n;
  n.record = std::string(record);
  n.verdict_json = verdict_json.empty() ? to_json(verdict) : std::string(verdict_json);
  n.listing_id = verdict.id;
  n.action = to_string(verdict.action);
  n.score = verdict.score;
  n.tags = verdict.tags;
  n.pack = verdict.pack;
  return n;
}

std::string verdict_row_hash(const StoredVerdict& v) {
  return Canonical("tusk.verdict.v1")
      .add("id", std::to_string(v.id))
      .add("listing_id", v.listing_id)
      .add("seller_id", v.seller_id)
      .add("lang", v.lang)
      .add("family", v.family)
      .add("tags", tags_json(v.tags))
      .add("action", v.action)
      .add("received_at", v.received_at)
      .add("record_sha256", v.record_sha256)
      .add("pack_name", v.pack_name)
      .add("pack_version", v.pack_version)
      .add("pack_digest", v.pack_digest)
      .add("verdict_json", v.verdict_json)
      .add("prev_hash", v.prev_hash)
      .sha256();
}

std::string decision_row_hash(const Decision& d) {
  return Canonical("tusk.decision.v1")
      .add("id", std::to_string(d.id))
      .add("verdict_id", std::to_string(d.verdict_id))
      .add("decision", d.decision)
      .add("reviewer", d.reviewer)
      .add("decided_at", d.decided_at)
      .add("note", d.note)
      .add("case_id", d.case_id)
      .add("prev_hash", d.prev_hash)
      .sha256();
}

Store::Store(std::unique_ptr<internal::Db> db) : db_(std::move(db)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string& url) {
  std::unique_ptr<internal::Db> db;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db = internal::open_postgres(url);
  } else if (url.rfind("sqlite:", 0) == 0) {
    if (url.size() == 7) throw StoreError("sqlite: needs a path, e.g. sqlite:verdicts.db");
    db = internal::open_sqlite(url.substr(7));
  } else if (url.find("://") != std::string::npos) {
    throw StoreError(fmt::format("unknown store \"{}\": expected sqlite:PATH or postgresql://...", url));
  } else {
    db = internal::open_sqlite(url);
  }
  std::unique_ptr<Store> store(new Store(std::move(db)));
  store->migrate();
  return store;
}

std::string Store::backend() const { return db_->backend(); }

int Store::latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int Store::schema_version() {
  auto rows = db_->query("SELECT MAX(version) FROM schema_migrations");
  return rows.empty() || !rows[0][0] ? 0 : std::stoi(*rows[0][0]);
}

void Store::migrate() {
  db_->exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
      "description TEXT NOT NULL)");
  if (schema_version() >= latest_schema_version()) return;
  WriteTxn txn(*db_);
  const int have = schema_version();  // again, under the lock: another process may have migrated
  for (const Migration& m : kMigrations) {
    if (m.version <= have) continue;
    std::string sql = replace_all(replace_all(m.sql, "{blob}", db_->blob_type()), "{real}", db_->real_type());
    db_->exec(sql);
    db_->query("INSERT INTO schema_migrations (version, applied_at, description) VALUES (?, ?, ?)",
               {internal::text(std::to_string(m.version)), internal::text(utc_now()),
                internal::text(m.description)});
  }
  txn.commit();
}

std::vector<std::int64_t> Store::add_verdicts(const std::vector<NewVerdict>& verdicts) {
  std::vector<std::int64_t> ids;
  if (verdicts.empty()) return ids;
  WriteTxn txn(*db_);
  auto [last_id, last_hash] = head(*db_, "verdicts");
  for (const NewVerdict& n : verdicts) {
    StoredVerdict v;
    v.id = ++last_id;
    v.listing_id = n.listing_id;
    const json rec = json::parse(n.record, nullptr, false);
    if (rec.is_object()) {
      if (auto s = rec.find("seller"); s != rec.end() && s->is_object()) {
        if (auto id = s->find("id"); id != s->end()) {
          v.seller_id = id->is_string() ? id->get<std::string>() : id->dump();
        }
      }
      if (auto l = rec.find("lang"); l != rec.end() && l->is_string()) v.lang = l->get<std::string>();
    }
    v.tags = n.tags;
    v.family = n.tags.empty() ? "" : n.tags.front();
    v.action = n.action;
    v.score = n.score;
    v.received_at = n.received_at.empty() ? utc_now() : n.received_at;
    v.record = n.record;
    v.record_sha256 = base::sha256_hex(n.record);
    v.pack_name = n.pack.name;
    v.pack_version = n.pack.version;
    v.pack_digest = n.pack.digest;
    v.verdict_json = n.verdict_json;
    v.status = "open";
    v.prev_hash = last_hash;
    v.row_hash = verdict_row_hash(v);
    db_->query(
        "INSERT INTO verdicts (id, listing_id, seller_id, lang, family, tags, action, score, received_at, "
        "record, "
        "record_sha256, pack_name, pack_version, pack_digest, verdict_json, status, prev_hash, row_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {internal::text(std::to_string(v.id)), internal::text(v.listing_id), internal::text(v.seller_id),
         internal::text(v.lang), internal::text(v.family), internal::text(tags_json(v.tags)),
         internal::text(v.action), internal::text(fmt::format("{}", v.score)), internal::text(v.received_at),
         internal::blob(v.record), internal::text(v.record_sha256), internal::text(v.pack_name),
         internal::text(v.pack_version), internal::text(v.pack_digest), internal::text(v.verdict_json),
         internal::text(v.status), internal::text(v.prev_hash), internal::text(v.row_hash)});
    last_hash = v.row_hash;
    ids.push_back(v.id);
  }
  set_head(*db_, "verdicts", last_id, last_hash);
  txn.commit();
  return ids;
}

std::vector<StoredVerdict> Store::verdicts_where(const std::string& where,
                                                 const std::vector<std::string>& params,
                                                 const std::string& order) {
  std::vector<Param> ps;
  ps.reserve(params.size());
  for (const auto& p : params) ps.push_back(internal::text(p));
  std::vector<StoredVerdict> out;
  for (const Row& r : db_->query(fmt::format("SELECT {} FROM verdicts v WHERE {} ORDER BY {}",
                                             kVerdictColumns, where.empty() ? "1 = 1" : where, order),
                                 ps)) {
    out.push_back(verdict_from(r));
  }
  return out;
}

std::optional<StoredVerdict> Store::verdict(std::int64_t id) {
  auto v = verdicts_where("v.id = ?", {std::to_string(id)});
  if (v.empty()) return std::nullopt;
  return v.front();
}

namespace {

// The WHERE clause of the queue (every filter but the cursor) and its parameters.
std::pair<std::string, std::vector<Param>> queue_where(const internal::Db& db, const QueueFilter& f) {
  std::string where = "v.status = 'open'";
  std::vector<Param> params;
  auto add = [&](const std::string& cond, const std::string& value) {
    where += " AND " + cond;
    params.push_back(internal::text(value));
  };
  if (!f.action.empty()) add("v.action = ?", f.action);
  if (!f.family.empty()) add("v.family = ?", f.family);
  if (!f.tag.empty()) add("v.tags LIKE ? ESCAPE '\\'", like_pattern(f.tag));
  if (!f.lang.empty()) add("v.lang = ?", f.lang);
  if (!f.seller.empty()) add("v.seller_id = ?", f.seller);
  if (!f.rule.empty()) {
    // Each fired rule starts with {"rule":NAME, in the verdict as rendered (api/verdict.cpp);
    // a key inside a string value is escaped, so it cannot match there.
    std::string needle = "{\"rule\":";
    base::append_json_string(needle, f.rule);
    add(db.contains("v.verdict_json"), needle + ",");
  }
  return {where, params};
}

}  // namespace

std::vector<StoredVerdict> Store::queue(const QueueFilter& f) {
  auto [where, params] = queue_where(*db_, f);
  std::string from = "verdicts v";
  if (f.after > 0) {
    // The items after the cursor in (score DESC, received_at ASC, id ASC) order: the cursor's
    // row is read by the query itself (verdict rows are never deleted, decided or not).
    from += ", (SELECT score AS s, received_at AS r, id AS i FROM verdicts WHERE id = ?) c";
    params.insert(params.begin(), internal::text(std::to_string(f.after)));
    where +=
        " AND (v.score < c.s OR (v.score = c.s AND (v.received_at > c.r OR (v.received_at = c.r AND v.id > "
        "c.i))))";
  }
  std::string sql =
      fmt::format("SELECT {} FROM {} WHERE {} ORDER BY v.score DESC, v.received_at ASC, v.id ASC",
                  kVerdictColumns, from, where);
  if (f.limit) sql += fmt::format(" LIMIT {}", f.limit);
  std::vector<StoredVerdict> out;
  for (const Row& r : db_->query(sql, params)) out.push_back(verdict_from(r));
  return out;
}

std::uint64_t Store::queue_count(const QueueFilter& f) {
  auto [where, params] = queue_where(*db_, f);
  const auto rows = db_->query(fmt::format("SELECT COUNT(*) FROM verdicts v WHERE {}", where), params);
  return rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
}

SellerHistory Store::seller_history(const std::string& seller, std::int64_t except, std::size_t limit) {
  SellerHistory h;
  const std::vector<Param> params{internal::text(seller), internal::text(std::to_string(except))};
  const auto rows = db_->query("SELECT COUNT(*) FROM verdicts v WHERE v.seller_id = ? AND v.id <> ?", params);
  h.total = rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
  for (const Row& r :
       db_->query(fmt::format("SELECT {} FROM verdicts v WHERE v.seller_id = ? AND v.id <> ? ORDER BY "
                              "v.received_at DESC, v.id DESC LIMIT {}",
                              kVerdictColumns, limit),
                  params)) {
    h.items.push_back(verdict_from(r));
  }
  return h;
}

std::vector<StoredVerdict> Store::select(const Selection& s) {
  if (!s.listing.empty()) return verdicts_where("v.listing_id = ?", {s.listing});
  if (!s.seller.empty()) return verdicts_where("v.seller_id = ?", {s.seller});
  if (!s.case_id.empty()) {
    return verdicts_where("v.id IN (SELECT verdict_id FROM decisions WHERE case_id = ?)", {s.case_id});
  }
  throw StoreError("a selection needs a listing, a seller or a case");
}

std::vector<StoredVerdict> Store::all_verdicts() { return verdicts_where("", {}); }

Decision Store::decide(std::int64_t id, const std::string& decision, const std::string& reviewer,
                       const std::string& note, const std::string& case_id) {
  const std::string after = status_after(decision);
  if (reviewer.empty()) throw StoreError("a decision needs a reviewer");
  WriteTxn txn(*db_);
  auto rows = db_->query("SELECT status FROM verdicts WHERE id = ?", {internal::text(std::to_string(id))});
  if (rows.empty()) throw StoreError(fmt::format("no verdict {} in the store", id));
  const std::string before = col(rows[0], 0);
  auto [last_id, last_hash] = head(*db_, "decisions");
  Decision d;
  d.id = last_id + 1;
  d.verdict_id = id;
  d.decision = decision;
  d.reviewer = reviewer;
  d.decided_at = utc_now();
  d.note = note;
  d.case_id = case_id;
  d.prev_hash = last_hash;
  d.row_hash = decision_row_hash(d);
  db_->query(
      "INSERT INTO decisions (id, verdict_id, decision, reviewer, decided_at, note, case_id, prev_hash, "
      "row_hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {internal::text(std::to_string(d.id)), internal::text(std::to_string(id)), internal::text(d.decision),
       internal::text(d.reviewer), internal::text(d.decided_at), internal::text(d.note),
       internal::text(d.case_id), internal::text(d.prev_hash), internal::text(d.row_hash)});
  db_->query("UPDATE verdicts SET status = ? WHERE id = ?",
             {internal::text(after), internal::text(std::to_string(id))});
  set_head(*db_, "decisions", d.id, d.row_hash);
  auto audit_rows = db_->query("SELECT MAX(id) FROM audit_log");
  const std::int64_t audit_id =
      audit_rows.empty() || !audit_rows[0][0] ? 1 : std::stoll(*audit_rows[0][0]) + 1;
  json before_state = {{"verdict", id}, {"status", before}};
  json after_state = {{"verdict", id}, {"status", after}, {"decision", d.id}, {"note", note}};
  if (!case_id.empty()) after_state["case"] = case_id;
  db_->query("INSERT INTO audit_log (id, at, who, what, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?)",
             {internal::text(std::to_string(audit_id)), internal::text(d.decided_at),
              internal::text(reviewer), internal::text(fmt::format("decide {} verdict {}", decision, id)),
              internal::text(before_state.dump()), internal::text(after_state.dump())});
  txn.commit();
  return d;
}

std::vector<Decision> Store::decisions(std::int64_t verdict_id) {
  std::vector<Decision> out;
  for (const Row& r : db_->query(
           fmt::format("SELECT {} FROM decisions d WHERE d.verdict_id = ? ORDER BY d.id", kDecisionColumns),
           {internal::text(std::to_string(verdict_id))})) {
    out.push_back(decision_from(r));
  }
  return out;
}

std::vector<Decision> Store::all_decisions() {
  std::vector<Decision> out;
  for (const Row& r : db_->query(fmt::format("SELECT {} FROM decisions d ORDER BY d.id", kDecisionColumns))) {
    out.push_back(decision_from(r));
  }
  return out;
}

std::vector<std::pair<StoredVerdict, Decision>> Store::reviewed_since(const std::string& since) {
  std::vector<std::pair<StoredVerdict, Decision>> out;
  const auto rows = db_->query(
      fmt::format(
          "SELECT {} FROM decisions d WHERE d.id = (SELECT MAX(d2.id) FROM decisions d2 WHERE d2.verdict_id "
          "= "
          "d.verdict_id) AND d.decision IN ('confirm', 'dismiss') AND d.decided_at >= ? ORDER BY d.id",
          kDecisionColumns),
      {internal::text(since)});
  for (const Row& r : rows) {
    Decision d = decision_from(r);
    if (auto v = verdict(d.verdict_id)) out.emplace_back(std::move(*v), std::move(d));
  }
  return out;
}

std::vector<AuditEntry> Store::audit() {
  std::vector<AuditEntry> out;
  for (const Row& r :
       db_->query("SELECT id, at, who, what, before_state, after_state FROM audit_log ORDER BY id")) {
    out.push_back({std::stoll(col(r, 0)), col(r, 1), col(r, 2), col(r, 3), col(r, 4), col(r, 5)});
  }
  return out;
}

AuditEntry Store::add_audit(const std::string& who, const std::string& what, const std::string& before,
                            const std::string& after) {
  WriteTxn txn(*db_);
  auto rows = db_->query("SELECT MAX(id) FROM audit_log");
  AuditEntry a{
      rows.empty() || !rows[0][0] ? 1 : std::stoll(*rows[0][0]) + 1, utc_now(), who, what, before, after};
  db_->query("INSERT INTO audit_log (id, at, who, what, before_state, after_state) VALUES (?, ?, ?, ?, ?, ?)",
             {internal::text(std::to_string(a.id)), internal::text(a.at), internal::text(a.who),
              internal::text(a.what), internal::text(a.before), internal::text(a.after)});
  txn.commit();
  return a;
}

bool Store::has_pack(const std::string& digest) {
  return !db_->query("SELECT 1 FROM pack_files WHERE digest = ? LIMIT 1", {internal::text(digest)}).empty();
}

void Store::put_pack(const std::string& digest, const std::map<std::string, std::string>& files) {
  WriteTxn txn(*db_);
  if (!db_->query("SELECT 1 FROM pack_files WHERE digest = ? LIMIT 1", {internal::text(digest)}).empty()) {
    return;
  }
  for (const auto& [path, content] : files) {
    db_->query("INSERT INTO pack_files (digest, path, content) VALUES (?, ?, ?)",
               {internal::text(digest), internal::text(path), internal::blob(content)});
  }
  txn.commit();
}

std::map<std::string, std::string> Store::pack_files(const std::string& digest) {
  std::map<std::string, std::string> out;
  for (const Row& r : db_->query("SELECT path, content FROM pack_files WHERE digest = ? ORDER BY path",
                                 {internal::text(digest)})) {
    out[col(r, 0)] = col(r, 1);
  }
  return out;
}

ChainReport Store::verify_chain() {
  ChainReport rep;
  auto problem = [&](std::string p) {
    rep.ok = false;
    rep.problems.push_back(std::move(p));
  };
  // Latest decision per verdict, for the status check.
  std::map<std::int64_t, std::string> latest;
  const std::vector<Decision> decisions = all_decisions();
  for (const Decision& d : decisions) latest[d.verdict_id] = d.decision;

  std::string prev = kGenesisHash;
  std::int64_t prev_id = 0;
  for (const StoredVerdict& v : all_verdicts()) {
    ++rep.verdicts;
    if (v.prev_hash != prev) {
      problem(prev_id == 0
                  ? fmt::format(
                        "verdict {}: it does not link to the start of the chain: rows before it were deleted",
                        v.id)
                  : fmt::format(
                        "verdict {}: its link does not match verdict {}: a row between them was deleted, or "
                        "verdict {} was changed",
                        v.id, prev_id, prev_id));
    }
    if (verdict_row_hash(v) != v.row_hash) {
      problem(fmt::format("verdict {}: its contents do not match its hash: the row was edited", v.id));
    }
    if (base::sha256_hex(v.record) != v.record_sha256) {
      problem(fmt::format("verdict {}: the record bytes do not match their SHA-256: the record was edited",
                          v.id));
    }
    const json vj = json::parse(v.verdict_json, nullptr, false);
    if (!vj.is_object() || vj.value("action", "") != v.action || !vj.contains("score") ||
        !vj["score"].is_number() || std::fabs(vj["score"].get<double>() - v.score) > 1e-9) {
      problem(fmt::format(
          "verdict {}: its action or score column differs from its verdict: the row was edited", v.id));
    }
    const auto l = latest.find(v.id);
    std::string want = "open";
    if (l != latest.end()) {
      try {
        want = status_after(l->second);
      } catch (const StoreError&) {
        want = "(unknown decision \"" + l->second + "\")";
      }
    }
    if (v.status != want) {
      problem(fmt::format(
          "verdict {}: its status \"{}\" does not match its decisions (\"{}\"): the row was edited", v.id,
          v.status, want));
    }
    prev = v.row_hash;
    prev_id = v.id;
  }
  auto [head_id, head_hash] = head(*db_, "verdicts");
  if (head_id != prev_id || head_hash != prev) {
    problem(fmt::format(
        "verdicts: the chain head is verdict {} but the table ends at verdict {}: the last rows were "
        "deleted or changed",
        head_id, prev_id));
  }

  prev = kGenesisHash;
  prev_id = 0;
  for (const Decision& d : decisions) {
    ++rep.decisions;
    if (d.prev_hash != prev) {
      problem(fmt::format(
          "decision {}: its link does not match decision {}: a decision between them was deleted, or "
          "decision {} was changed",
          d.id, prev_id, prev_id));
    }
    if (decision_row_hash(d) != d.row_hash) {
      problem(fmt::format("decision {}: its contents do not match its hash: the row was edited", d.id));
    }
    prev = d.row_hash;
    prev_id = d.id;
  }
  auto [dhead_id, dhead_hash] = head(*db_, "decisions");
  if (dhead_id != prev_id || dhead_hash != prev) {
    problem(
        fmt::format("decisions: the chain head is decision {} but the table ends at decision {}: the last "
                    "decisions were deleted or changed",
                    dhead_id, prev_id));
  }
  return rep;
}

void Store::exec_unchecked(const std::string& sql) { db_->exec(sql); }

}  // namespace tusk::store
