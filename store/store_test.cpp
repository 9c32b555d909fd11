// The store suite, run against both backends: SQLite in a temporary file, and PostgreSQL in a
// throwaway cluster this binary creates (initdb + pg_ctl on a Unix socket in a temporary
// directory) and removes at the end.
#include "store/store.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/sha256.h"

namespace tusk::store {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

std::string make_temp_dir(const char* tag) {
  std::string t = (fs::temp_directory_path() / (std::string("tusk-") + tag + "-XXXXXX")).string();
  if (mkdtemp(t.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return t;
}

// One PostgreSQL cluster for the whole binary. As root (initdb refuses root) the server runs as
// the `postgres` system user that Debian's package creates.
class PgCluster {
 public:
  static PgCluster& get() {
    static PgCluster c;
    return c;
  }
  bool available() const { return ok_; }
  const std::string& why() const { return why_; }
  // A URI for a new, empty database of the cluster.
  std::string new_database() {
    const std::string name = "t" + std::to_string(++databases_);
    auto admin = Store::open(uri("postgres"));
    admin->exec_unchecked("CREATE DATABASE " + name);
    return uri(name);
  }
  ~PgCluster() {
    if (started_) run(expand("{}/pg_ctl -D {}/data -m immediate -w stop >/dev/null 2>&1"));
    if (!dir_.empty()) fs::remove_all(dir_);
  }

 private:
  PgCluster() {
    if (!fs::exists(std::string(kPgBin) + "/initdb") || !fs::exists(std::string(kPgBin) + "/pg_ctl")) {
      why_ = std::string("PostgreSQL 15 server binaries not found in ") + kPgBin +
             " (install postgresql-15, as scripts/bootstrap does): PostgreSQL tests skipped";
      return;
    }
    dir_ = make_temp_dir("pg");
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        why_ = "running as root and there is no `postgres` user to run the server as";
        return;
      }
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        why_ = "cannot give the cluster directory to the postgres user";
        return;
      }
      as_ = "runuser -u postgres -- ";
    }
    if (run(expand(
            "{}/initdb -D {}/data -U tusk -A trust -E UTF8 --locale=C --no-sync >{}/initdb.log 2>&1")) != 0) {
      why_ = "initdb failed; see " + dir_ + "/initdb.log";
      return;
    }
    if (run(expand(
            "{}/pg_ctl -D {}/data -l {}/server.log -w -t 60 -o \"-k {} -c listen_addresses='' -c fsync=off\" "
            "start >/dev/null 2>&1")) != 0) {
      why_ = "pg_ctl start failed; see " + dir_ + "/server.log";
      return;
    }
    started_ = true;
    ok_ = true;
  }
  std::string expand(std::string pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern.compare(i, 2, "{}") == 0) {
        // The first {} is the binary directory, the others the cluster directory.
        out += out.find(kPgBin) == std::string::npos ? std::string(kPgBin) : dir_;
        ++i;
      } else {
        out += pattern[i];
      }
    }
    return out;
  }
  int run(const std::string& cmd) { return std::system((as_ + cmd).c_str()); }
  std::string uri(const std::string& db) { return "postgresql://tusk@/" + db + "?host=" + dir_; }

  std::string dir_, as_, why_;
  bool ok_ = false, started_ = false;
  int databases_ = 0;
};

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = make_temp_dir("store");
      url_ = "sqlite:" + dir_ + "/verdicts.db";
    } else {
      PgCluster& pg = PgCluster::get();
      if (!pg.available()) GTEST_SKIP() << pg.why();
      url_ = pg.new_database();
    }
    store_ = Store::open(url_);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A verdict as the scanner would give it.
  static NewVerdict make(const std::string& id, Action action, double score, std::vector<std::string> tags,
                         const std::string& seller = "u1", const std::string& lang = "en",
                         const std::string& received_at = "") {
    Verdict v;
    v.id = id;
    v.action = action;
    v.score = score;
    v.tags = std::move(tags);
    v.pack = {"wildlife", "1.0.0", std::string(64, 'a')};
    const std::string record = "{\"id\": \"" + id + "\", \"title\": \"t\", \"lang\": \"" + lang +
                               "\", \"seller\": {\"id\": \"" + seller + "\"}}";
    NewVerdict n = NewVerdict::from(record, v);
    n.received_at = received_at;
    return n;
  }
  void add_five() {
    for (int i = 1; i <= 5; ++i) {
      store_->add_verdict(make("l" + std::to_string(i), Action::kReview, 10.0 * i, {"ivory"}));
    }
  }
  static bool mentions(const ChainReport& r, const std::string& what) {
    for (const auto& p : r.problems) {
      if (p.find(what) != std::string::npos) return true;
    }
    return false;
  }

  std::string dir_, url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, MigratesToTheLatestSchemaOnceAndReopens) {
  EXPECT_EQ(store_->schema_version(), Store::latest_schema_version());
  EXPECT_GE(Store::latest_schema_version(), 2);
  store_->add_verdict(make("a", Action::kReview, 45, {"ivory"}));
  store_.reset();
  store_ = Store::open(url_);  // migrating again is a no-op and keeps the rows
  EXPECT_EQ(store_->schema_version(), Store::latest_schema_version());
  EXPECT_EQ(store_->all_verdicts().size(), 1u);
}

TEST_P(StoreTest, KeepsTheRecordBytesExactlyAsReceived) {
  // Odd spacing, an escape, CJK, a NUL escape, a trailing tab and a byte that is not UTF-8.
  const std::string record =
      std::string("{ \"id\" :\"x\",  \"title\":\"\xE8\xB1\xA1\xE7\x89\x99 \\u00e9 \\u0000\"}\t") + "\xFF";
  Verdict v;
  v.id = "x";
  v.action = Action::kBlock;
  v.score = 85.5;
  const auto id = store_->add_verdict(NewVerdict::from(record, v));
  const auto got = store_->verdict(id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->record, record);
  EXPECT_EQ(got->record_sha256, base::sha256_hex(record));
  EXPECT_EQ(got->verdict_json, to_json(v));
  EXPECT_EQ(got->score, 85.5);
  EXPECT_EQ(got->received_at.size(), 24u);
  EXPECT_EQ(got->received_at.back(), 'Z');
  EXPECT_TRUE(store_->verify_chain().ok);
}

TEST_P(StoreTest, QueueIsOpenReviewItemsByScoreThenAgeWithFilters) {
  store_->add_verdict(make("old45", Action::kReview, 45, {"ivory"}, "u1", "en", "2024-01-01T00:00:00.000Z"));
  store_->add_verdict(
      make("new45", Action::kReview, 45, {"ivory", "carving"}, "u2", "zh", "2024-02-01T00:00:00.000Z"));
  store_->add_verdict(make("s60", Action::kReview, 60, {"pangolin"}, "u1", "vi", "2024-03-01T00:00:00.000Z"));
  store_->add_verdict(make("b90", Action::kBlock, 90, {"ivory"}, "u3", "en"));
  auto ids = [](const std::vector<StoredVerdict>& vs) {
    std::vector<std::string> out;
    out.reserve(vs.size());
    for (const auto& v : vs) out.push_back(v.listing_id);
    return out;
  };
  EXPECT_EQ(ids(store_->queue({})), (std::vector<std::string>{"s60", "old45", "new45"}));
  EXPECT_EQ(ids(store_->queue({.family = "ivory"})), (std::vector<std::string>{"old45", "new45"}));
  EXPECT_EQ(ids(store_->queue({.tag = "carving"})), (std::vector<std::string>{"new45"}));
  EXPECT_EQ(ids(store_->queue({.lang = "vi"})), (std::vector<std::string>{"s60"}));
  EXPECT_EQ(ids(store_->queue({.seller = "u1"})), (std::vector<std::string>{"s60", "old45"}));
  EXPECT_EQ(ids(store_->queue({.action = ""})), (std::vector<std::string>{"b90", "s60", "old45", "new45"}));
  EXPECT_EQ(ids(store_->queue({.tag = "ivor%"})),
            (std::vector<std::string>{}));  // LIKE wildcards are literal
  const auto first = store_->queue({}).front();
  store_->decide(first.id, "dismiss", "ana", "a pangolin-shaped toy");
  EXPECT_EQ(ids(store_->queue({})), (std::vector<std::string>{"old45", "new45"}));
}

TEST_P(StoreTest, QueuePagesInTheQueryAndSeesEachItemOnce) {
  // Eleven open items (ties in score and in receipt time included) and a block item the review
  // queue leaves out; pages of four.
  for (int i = 0; i < 11; ++i) {
    store_->add_verdict(make("p" + std::to_string(i), Action::kReview, 40 + 5 * (i % 3), {"ivory"}, "u1",
                             "en", "2024-01-0" + std::to_string(1 + i % 4) + "T00:00:00.000Z"));
  }
  store_->add_verdict(make("blocked", Action::kBlock, 99, {"ivory"}));
  const auto all = store_->queue({});
  ASSERT_EQ(all.size(), 11u);
  EXPECT_EQ(store_->queue_count({}), 11u);
  EXPECT_EQ(store_->queue_count({.action = ""}), 12u);
  std::vector<std::int64_t> want, got;
  for (const auto& v : all) want.push_back(v.id);
  QueueFilter page{.limit = 4};
  std::size_t pages = 0;
  for (;;) {
    const auto items = store_->queue(page);
    ASSERT_LE(items.size(), 4u);
    if (items.empty()) break;
    ++pages;
    for (const auto& v : items) got.push_back(v.id);
    page.after = items.back().id;
  }
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(got, want);  // every item once, in the queue's order

  // A decision on an item of the first page while the second is read moves nothing: the cursor
  // is the last item's id, not an offset.
  const auto first = store_->queue({.limit = 4});
  store_->decide(first[1].id, "dismiss", "ana", "");
  const auto second = store_->queue({.limit = 4, .after = first.back().id});
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(second.front().id, want[4]);
  // So does a decision on the cursor's own item.
  store_->decide(first.back().id, "confirm", "ana", "");
  EXPECT_EQ(store_->queue({.limit = 4, .after = first.back().id}).front().id, want[4]);
  EXPECT_EQ(store_->queue_count({}), 9u);
}

TEST_P(StoreTest, QueueFiltersByARuleThatFired) {
  Verdict v;
  v.id = "r1";
  v.action = Action::kReview;
  v.score = 45;
  v.fired.push_back({.rule = "ivory_coded", .score = 45, .reason = "mentions {\"rule\":\"tusk_named\",}"});
  v.pack = {"wildlife", "1.0.0", std::string(64, 'a')};
  store_->add_verdict(NewVerdict::from(R"({"id": "r1"})", v));
  v.id = "r2";
  v.fired = {{.rule = "ivory_coded_extra", .score = 45, .reason = ""},
             {.rule = "Tusk_Named", .score = 0, .reason = ""}};
  store_->add_verdict(NewVerdict::from(R"({"id": "r2"})", v));
  auto ids = [](const std::vector<StoredVerdict>& vs) {
    std::vector<std::string> out;
    out.reserve(vs.size());
    for (const auto& x : vs) out.push_back(x.listing_id);
    return out;
  };
  EXPECT_EQ(ids(store_->queue({.rule = "ivory_coded"})), (std::vector<std::string>{"r1"}));
  // Not a prefix, not inside a reason, and case counts.
  EXPECT_EQ(ids(store_->queue({.rule = "tusk_named"})), (std::vector<std::string>{}));
  EXPECT_EQ(ids(store_->queue({.rule = "Tusk_Named"})), (std::vector<std::string>{"r2"}));
  EXPECT_EQ(store_->queue_count({.rule = "ivory_coded_extra"}), 1u);
}

TEST_P(StoreTest, SellerHistoryIsNewestFirstBoundedAndLeavesOutTheItem) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 5; ++i) {
    ids.push_back(store_->add_verdict(make("h" + std::to_string(i), Action::kReview, 45, {"ivory"}, "u7",
                                           "en", "2024-02-0" + std::to_string(i) + "T00:00:00.000Z")));
  }
  store_->add_verdict(make("other", Action::kReview, 45, {"ivory"}, "u8"));
  const SellerHistory h = store_->seller_history("u7", ids[2], 3);
  EXPECT_EQ(h.total, 4u);
  ASSERT_EQ(h.items.size(), 3u);
  EXPECT_EQ(h.items[0].listing_id, "h5");
  EXPECT_EQ(h.items[1].listing_id, "h4");
  EXPECT_EQ(h.items[2].listing_id, "h2");  // h3 is the item itself
  const SellerHistory none = store_->seller_history("u8", store_->queue({.seller = "u8"}).front().id, 20);
  EXPECT_EQ(none.total, 0u);
  EXPECT_TRUE(none.items.empty());
}

TEST_P(StoreTest, DecisionsAreChainedAndAuditLogged) {
  add_five();
  const Decision d1 = store_->decide(2, "escalate", "ana", "looks like a dealer", "case-7");
  const Decision d2 = store_->decide(2, "confirm", "ben", "confirmed by the investigator");
  EXPECT_EQ(d1.prev_hash, kGenesisHash);
  EXPECT_EQ(d2.prev_hash, d1.row_hash);
  EXPECT_EQ(store_->verdict(2)->status, "confirmed");
  const auto ds = store_->decisions(2);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[1].reviewer, "ben");
  EXPECT_EQ(ds[0].case_id, "case-7");
  const auto audit = store_->audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].who, "ana");
  EXPECT_NE(audit[0].before.find("\"open\""), std::string::npos);
  EXPECT_NE(audit[0].after.find("\"escalated\""), std::string::npos);
  EXPECT_NE(audit[1].before.find("\"escalated\""), std::string::npos);
  EXPECT_NE(audit[1].after.find("\"confirmed\""), std::string::npos);
  EXPECT_EQ(store_->select({.case_id = "case-7"}).size(), 1u);
  EXPECT_EQ(store_->select({.seller = "u1"}).size(), 5u);
  EXPECT_EQ(store_->select({.listing = "l3"}).size(), 1u);
  EXPECT_THROW(store_->decide(99, "confirm", "ana", ""), StoreError);
  EXPECT_THROW(store_->decide(1, "approve", "ana", ""), StoreError);
  EXPECT_THROW(store_->decide(1, "confirm", "", ""), StoreError);
  EXPECT_TRUE(store_->verify_chain().ok);
}

TEST_P(StoreTest, OtherAuditEntriesFollowTheDecisions) {
  add_five();
  store_->decide(1, "dismiss", "ana", "colour only");
  const AuditEntry a = store_->add_audit("ana", "sign-in failed", "", R"({"client":"127.0.0.1"})");
  EXPECT_EQ(a.id, 2);
  const auto audit = store_->audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].who, "ana");
  EXPECT_EQ(audit[1].what, "sign-in failed");
  EXPECT_EQ(audit[1].after, R"({"client":"127.0.0.1"})");
  EXPECT_EQ(audit[1].at.size(), utc_now().size());
  EXPECT_TRUE(store_->verify_chain().ok);
}

TEST_P(StoreTest, ReviewedSinceGivesTheLatestConfirmOrDismiss) {
  add_five();
  store_->decide(1, "confirm", "ana", "");
  store_->decide(2, "dismiss", "ana", "");
  store_->decide(3, "escalate", "ana", "");
  store_->decide(4, "confirm", "ana", "");
  store_->decide(4, "dismiss", "ben", "overturned");
  const auto r = store_->reviewed_since("2000-01-01T00:00:00.000Z");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].first.listing_id, "l1");
  EXPECT_EQ(r[2].first.listing_id, "l4");
  EXPECT_EQ(r[2].second.decision, "dismiss");
  EXPECT_TRUE(store_->reviewed_since("2999-01-01T00:00:00.000Z").empty());
}

TEST_P(StoreTest, ChainDetectsADeletedRow) {
  add_five();
  ASSERT_TRUE(store_->verify_chain().ok);
  store_->exec_unchecked("DELETE FROM verdicts WHERE id = 3");
  const ChainReport r = store_->verify_chain();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(mentions(r, "verdict 4: its link does not match verdict 2"))
      << testing::PrintToString(r.problems);
}

TEST_P(StoreTest, ChainDetectsDeletedLastRows) {
  add_five();
  store_->exec_unchecked("DELETE FROM verdicts WHERE id = 5");
  const ChainReport r = store_->verify_chain();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(mentions(r, "the chain head is verdict 5 but the table ends at verdict 4"));
}

TEST_P(StoreTest, ChainDetectsAnEditedRow) {
  add_five();
  store_->exec_unchecked(
      "UPDATE verdicts SET verdict_json = replace(verdict_json, 'review', 'allow') WHERE id = 2");
  ChainReport r = store_->verify_chain();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(mentions(r, "verdict 2: its contents do not match its hash"));
  EXPECT_FALSE(mentions(r, "verdict 4"));
}

TEST_P(StoreTest, ChainDetectsAnEditedRowWhoseHashWasRecomputed) {
  add_five();
  // Whoever edits a row and rewrites its hash breaks the next row's link.
  auto v = *store_->verdict(2);
  v.listing_id = "other";
  const std::string h = verdict_row_hash(v);
  store_->exec_unchecked("UPDATE verdicts SET listing_id = 'other', row_hash = '" + h + "' WHERE id = 2");
  const ChainReport r = store_->verify_chain();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(mentions(r, "verdict 3: its link does not match verdict 2"));
}

TEST_P(StoreTest, ChainDetectsEditedRecordBytesAndStatus) {
  add_five();
  store_->exec_unchecked("UPDATE verdicts SET status = 'dismissed' WHERE id = 1");
  const ChainReport r = store_->verify_chain();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(mentions(r, "verdict 1: its status \"dismissed\" does not match its decisions (\"open\")"));
}

TEST_P(StoreTest, DecisionChainDetectsEditsAndDeletions) {
  add_five();
  store_->decide(1, "confirm", "ana", "n1");
  store_->decide(2, "dismiss", "ana", "n2");
  store_->decide(3, "confirm", "ana", "n3");
  ASSERT_TRUE(store_->verify_chain().ok);
  store_->exec_unchecked("UPDATE decisions SET note = 'changed' WHERE id = 2");
  EXPECT_TRUE(mentions(store_->verify_chain(), "decision 2: its contents do not match its hash"));
  store_->exec_unchecked("UPDATE decisions SET note = 'n2' WHERE id = 2");
  ASSERT_TRUE(store_->verify_chain().ok);
  store_->exec_unchecked("DELETE FROM decisions WHERE id = 2");
  const ChainReport r = store_->verify_chain();
  EXPECT_TRUE(mentions(r, "decision 3: its link does not match decision 1"));
  EXPECT_TRUE(mentions(r, "verdict 2: its status \"dismissed\" does not match"));
}

TEST_P(StoreTest, TwoWritersKeepOneChain) {
  auto other = Store::open(url_);
  for (int i = 0; i < 6; ++i) {
    (i % 2 ? *other : *store_).add_verdict(make("w" + std::to_string(i), Action::kReview, i, {"ivory"}));
  }
  const ChainReport r = store_->verify_chain();
  EXPECT_TRUE(r.ok) << testing::PrintToString(r.problems);
  EXPECT_EQ(r.verdicts, 6u);
}

TEST_P(StoreTest, KeepsPackSourcesOncePerDigest) {
  EXPECT_FALSE(store_->has_pack("d1"));
  store_->put_pack("d1", {{"pack/pack.yaml", "name: x\n"}, {"std/a.tusk", std::string("bin\0ary", 7)}});
  store_->put_pack("d1", {{"pack/other", "ignored"}});
  EXPECT_TRUE(store_->has_pack("d1"));
  const auto files = store_->pack_files("d1");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files.at("std/a.tusk"), std::string("bin\0ary", 7));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(StoreUrl, UnknownSchemesAreErrors) {
  EXPECT_THROW(Store::open("mysql://x"), StoreError);
  EXPECT_THROW(Store::open("sqlite:"), StoreError);
  EXPECT_THROW(Store::open("postgresql://nobody@/none?host=/nonexistent-dir"), StoreError);
}

TEST(StoreTime, ParsesTheThreeUtcForms) {
  EXPECT_EQ(parse_utc("2024-05-01"), "2024-05-01T00:00:00.000Z");
  EXPECT_EQ(parse_utc("2024-05-01T12:03:04Z"), "2024-05-01T12:03:04.000Z");
  EXPECT_EQ(parse_utc("2024-05-01T12:03:04.250Z"), "2024-05-01T12:03:04.250Z");
  EXPECT_EQ(parse_utc("2024-05-01 12:03"), std::nullopt);
  EXPECT_EQ(parse_utc("yesterday"), std::nullopt);
}

}  // namespace
}  // namespace tusk::store
