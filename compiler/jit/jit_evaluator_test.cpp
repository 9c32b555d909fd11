// The JIT against the reference interpreter on plans from real packs, with a synthetic host
// (so every host answer, NaN and infinity included, can be chosen) at every tier; the object
// cache's handling of missing, corrupt, truncated and foreign entries; the IR dump.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "base/artifact_cache.h"
#include "compiler/front/driver.h"
#include "compiler/interp/interpreter.h"
#include "compiler/jit/jit_evaluator.h"
#include "compiler/plan/lower.h"
#include "stdlib/functions.h"

namespace tusk::compiler::jit {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A synthetic record for the host: chosen text comparison answers, and texts and hits from
// which the real built-ins (stdlib/builtins/) compute — weights of 0 and none, repeated and
// distinct terms, hits outside the scope — so both backends call them on awkward inputs.
struct FakeHost final : stdlib::RecordView {
  std::uint64_t in_set_bits = 0;  // bit (field * 4 + set) % 64
  std::uint64_t eq_bits = 0;      // bit (a * 8 + b) % 64
  std::uint64_t present_bits = 0;
  std::vector<std::string_view> texts;  // per field
  std::vector<stdlib::SlotHit> hit_list;

  std::uint32_t field_count() const override { return static_cast<std::uint32_t>(texts.size()); }
  bool present(stdlib::FieldId f) const override { return (present_bits >> f) & 1; }
  std::string_view text(stdlib::FieldId f) const override {
    return present(f) ? texts[f] : std::string_view();
  }
  std::span<const stdlib::SlotHit> slot_hits() const override { return hit_list; }
  WordSpan word_span(stdlib::FieldId, std::uint32_t start, std::uint32_t) const override {
    return {start / 3, start / 3};
  }
};
const FakeHost& fake(const void* h) {
  return static_cast<const FakeHost&>(*static_cast<const stdlib::RecordView*>(h));
}

// Not exported and not in any symbol table the JIT could search: they are reachable only
// through the absolute symbols the engine defines.
bool fake_in_set(const void* h, std::uint32_t f, std::uint32_t s) {
  return (fake(h).in_set_bits >> ((f * 4 + s) % 64)) & 1;
}
bool fake_eq(const void* h, std::uint32_t a, std::uint32_t b) {
  return (fake(h).eq_bits >> ((a * 8 + b) % 64)) & 1;
}
const plan::HostTable kFakeHost = {fake_in_set, fake_eq};

const char* const kManifest = R"(name: jit.eval
version: "1.0.0"
sources: [main.tusk]
fields:
  qty: number
  age: number
  deposit: money
currency:
  base: USD
  as_of: 2025-01-02
  rates:
    USD: 1
    EUR: 1.035
    CNY: 0.1366
)";

// Every operation of the condition IR, several times over.
const char* const kSource = R"(pack jit.eval version "1.0.0"
lexicon a { "ivory", "tusk*" }
lexicon b { "carving", "bangle" }
regex w = /\d+\s?kg/

rule r0 { when text mentions a and not title mentions b  score 30 }
rule r1 { when near(text, a, b, within 4 words) or count(text, a) >= 2  score 12.5 }
rule r2 { when category in {"antiques", "art"} and title != location  score -7 }
rule r3 { when has(price) and price in USD < 20  score -10 }
rule r4 { when per_kg(price, text) in EUR > 500 or deposit in CNY / qty <= 3  score 40 }
rule r5 { when (qty - age) * 2 != -age or qty / age == 0 or -(qty) > 1  score 1 }
rule r6 { when title matches w and weight_kg(text) > 1 and len(title) >= 4  score 25 }
rule r7 { when (r0 or r1) and not (r2 and r3) or r5 and r6  score 0.25 }
rule r8 { when true and not false and qty != 7 or false  score 3 }
rule r9 { when count_distinct(text, a) >= 2 or count_distinct(title, b) == 1  score 2 }
// Over 64 terms: count_distinct cannot use term bits, so the JIT calls the built-in.
lexicon big { "big0", "big1", "big2", "big3", "big4", "big5", "big6", "big7", "big8", "big9", "big10", "big11", "big12", "big13", "big14", "big15", "big16", "big17", "big18", "big19", "big20", "big21", "big22", "big23", "big24", "big25", "big26", "big27", "big28", "big29", "big30", "big31", "big32", "big33", "big34", "big35", "big36", "big37", "big38", "big39", "big40", "big41", "big42", "big43", "big44", "big45", "big46", "big47", "big48", "big49", "big50", "big51", "big52", "big53", "big54", "big55", "big56", "big57", "big58", "big59", "big60", "big61", "big62", "big63", "big64" }
rule r10 { when count_distinct(text, big) >= 1 and count(description, big) < 3  score 4 }

decide {
  block when score >= 60 or r4 and r7
  review when score > 20 or (r1 and not r3)
  allow otherwise
}
suggest "s0" when r0 and not r4
suggest "s1" when r6 or age >= 1
)";

class JitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tusk_jit_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                       ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  const plan::Plan& plan(const std::string& source = kSource) {
    std::ofstream(dir_ / "pack.yaml") << kManifest;
    std::ofstream(dir_ / "main.tusk") << source;
    front::CheckOptions options;
    options.stdlib_dir = fs::path(TUSK_SOURCE_DIR) / "stdlib";
    loaded_ = front::load_pack(dir_.string(), options);
    EXPECT_TRUE(loaded_->checked && !loaded_->diags.has_errors())
        << base::render_text(loaded_->diags, loaded_->sources);
    if (!loaded_->checked) throw std::runtime_error("the test pack does not check");
    plan_ = plan::build_plan(*loaded_->checked);
    return *plan_;
  }

  JitOptions options(JitTier tier, bool cache = false) const {
    JitOptions o;
    o.tier = tier;
    o.use_cache = cache;
    o.cache_dir = (dir_ / "cache").string();
    return o;
  }

  fs::path dir_;
  std::unique_ptr<front::LoadedPack> loaded_;
  std::unique_ptr<plan::Plan> plan_;
};

// Records with the values that break naive lowerings: NaN, infinities, -0, 0 divisors, unknown
// currencies, absent fields that still hold numbers.
struct Records {
  std::vector<FakeHost> hosts;
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<std::int32_t>> currencies;
  std::vector<std::vector<stdlib::FieldMask>> slots;
  std::vector<std::vector<std::uint32_t>> hit_counts, text_lengths;  // as the runtime fills them
  std::vector<std::vector<std::uint64_t>> term_bits;
  std::vector<plan::EvalRecord> records;

  Records(const plan::Plan& plan, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const std::vector<double> values = {0, -0.0, 1, 2, 3, 19.99, 20, 500, 1e308, -1, kNaN, kInf, -kInf, 0.5};
    auto value = [&] { return values[rng() % values.size()]; };
    hosts.resize(n);
    numbers.resize(n);
    currencies.resize(n);
    slots.resize(n);
    hit_counts.resize(n);
    text_lengths.resize(n);
    term_bits.resize(n);
    records.resize(n);
    const auto currency_count = static_cast<std::int32_t>(plan.currencies.size());
    for (std::size_t i = 0; i < n; ++i) {
      static const std::vector<std::string_view> kTexts = {
          "", "2kg ivory", "0 kg", "500 g carving", "3 lbs", "no weight here", "1,5 kg tusk", "1e308kg"};
      FakeHost& h = hosts[i];
      h.in_set_bits = rng();
      h.eq_bits = rng();
      h.present_bits = rng();
      for (std::size_t f = 0; f < plan.fields.size(); ++f) h.texts.push_back(kTexts[rng() % kTexts.size()]);
      const std::size_t hit_count = plan.slots.empty() ? 0 : rng() % 6;
      for (std::size_t k = 0; k < hit_count; ++k) {
        const auto start = static_cast<std::uint32_t>(rng() % 40);
        h.hit_list.push_back({static_cast<std::uint32_t>(rng() % plan.slots.size()),
                              static_cast<std::uint32_t>(rng() % 2),
                              static_cast<stdlib::FieldId>(rng() % plan.fields.size()), 0, start, start + 3,
                              start, start + 3});
      }
      for (std::size_t f = 0; f < plan.fields.size(); ++f) {
        numbers[i].push_back(value());
        currencies[i].push_back(static_cast<std::int32_t>(rng() % (currency_count + 1)) - 1);
      }
      for (std::size_t s = 0; s < plan.slots.size(); ++s) slots[i].push_back(rng() & rng());
      const std::size_t fields = plan.fields.size();
      hit_counts[i].assign(plan.slots.size() * fields, 0);
      term_bits[i].assign(plan.slots.size() * fields, 0);
      for (const stdlib::SlotHit& hit : h.hit_list) {
        ++hit_counts[i][hit.slot * fields + hit.field];
        term_bits[i][hit.slot * fields + hit.field] |= std::uint64_t{1} << hit.term;
      }
      for (std::size_t f = 0; f < fields; ++f) {
        text_lengths[i].push_back(static_cast<std::uint32_t>(h.text(static_cast<stdlib::FieldId>(f)).size()));
      }
      records[i] = {rng(),
                    numbers[i].data(),
                    currencies[i].data(),
                    slots[i].data(),
                    static_cast<const stdlib::RecordView*>(&hosts[i]),
                    nullptr,
                    hit_counts[i].data(),
                    text_lengths[i].data(),
                    term_bits[i].data()};
    }
  }
};

void expect_same(const plan::Plan& plan, const plan::Evaluator& jit, std::size_t n, std::uint64_t seed) {
  Records recs(plan, n, seed);
  const interp::Interpreter interp(plan, kFakeHost);
  std::vector<plan::EvalResult> want(n), got(n);
  interp.evaluate(recs.records.data(), n, want.data());
  jit.evaluate(recs.records.data(), n, got.data());
  std::size_t fired = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(got[i].fired, want[i].fired) << "record " << i;
    // Bitwise: the score is printed, so even -0 against +0 would be a difference.
    // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): the bits are what is compared
    ASSERT_EQ(std::memcmp(&got[i].score, &want[i].score, sizeof(double)), 0)
        << "record " << i << ": " << got[i].score << " vs " << want[i].score;
    ASSERT_EQ(got[i].branch, want[i].branch) << "record " << i;
    ASSERT_EQ(got[i].action, want[i].action) << "record " << i;
    ASSERT_EQ(got[i].suggested, want[i].suggested) << "record " << i;
    for (auto f : want[i].fired) fired += f;
  }
  EXPECT_GT(fired, n) << "the records fire too few rules to compare anything";
}

class JitTierTest : public JitTest, public ::testing::WithParamInterface<JitTier> {};

TEST_P(JitTierTest, MatchesInterpreterOnEveryOperation) {
  const plan::Plan& p = plan();
  std::string error;
  auto jit = JitEvaluator::create(p, kFakeHost, options(GetParam()), &error);
  ASSERT_TRUE(jit) << error;
  EXPECT_STREQ(jit->name(), "jit");
  // Batches that are not a multiple of the wrapper's chunk, and a single record.
  expect_same(p, *jit, 1000, 1);
  expect_same(p, *jit, 1, 2);
  expect_same(p, *jit, 129, 3);
  std::vector<plan::EvalResult> none;
  jit->evaluate(nullptr, 0, none.data());
}
INSTANTIATE_TEST_SUITE_P(Tiers, JitTierTest,
                         ::testing::Values(JitTier::kO0, JitTier::kO2IrFastCodegen, JitTier::kO2),
                         [](const auto& info) {
                           return std::string(info.param == JitTier::kO0   ? "O0"
                                              : info.param == JitTier::kO2 ? "O2"
                                                                           : "O2IrFastCodegen");
                         });

TEST_F(JitTest, PackWithoutOtherwiseOrSuggestions) {
  const plan::Plan& p = plan(
      "pack jit.eval version \"1.0.0\"\nlexicon a { \"ivory\" }\n"
      "rule only { when text mentions a or qty > 2 score 5 }\ndecide { review when only and qty > 5 }\n");
  std::string error;
  auto jit = JitEvaluator::create(p, kFakeHost, options(JitTier::kO2), &error);
  ASSERT_TRUE(jit) << error;
  Records recs(p, 300, 9);
  const interp::Interpreter interp(p, kFakeHost);
  std::vector<plan::EvalResult> want(300), got(300);
  interp.evaluate(recs.records.data(), 300, want.data());
  jit->evaluate(recs.records.data(), 300, got.data());
  for (std::size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(got[i].fired, want[i].fired);
    EXPECT_EQ(got[i].branch, want[i].branch);
    EXPECT_EQ(got[i].action, want[i].action);
    EXPECT_EQ(got[i].score, want[i].score);
  }
}

TEST_F(JitTest, TieredEvaluatorSwitchesToNativeCode) {
  const plan::Plan& p = plan();
  TieredEvaluator tiered(p, kFakeHost, options(JitTier::kO2IrFastCodegen));
  expect_same(p, tiered, 200, 4);  // whichever backend is active
  ASSERT_TRUE(tiered.wait_for_jit()) << tiered.jit_error();
  EXPECT_STREQ(tiered.name(), "jit");
  expect_same(p, tiered, 200, 5);
}

TEST_F(JitTest, TieredEvaluatorWaitsForItsThreshold) {
  const plan::Plan& p = plan();
  JitOptions o = options(JitTier::kO2IrFastCodegen, /*cache=*/true);
  std::string error;
  ASSERT_TRUE(JitEvaluator::create(p, kFakeHost, o, &error)) << error;  // fills the cache
  o.native_after = 500;
  TieredEvaluator tiered(p, kFakeHost, o);
  // Even with the object cached, nothing is loaded before the threshold.
  EXPECT_FALSE(tiered.native_started());
  expect_same(p, tiered, 200, 6);
  expect_same(p, tiered, 200, 7);
  EXPECT_FALSE(tiered.native_started()) << "started after 400 of 500 records";
  EXPECT_STREQ(tiered.name(), "interp");
  expect_same(p, tiered, 200, 8);
  EXPECT_TRUE(tiered.native_started()) << "not started after 600 of 500 records";
  ASSERT_TRUE(tiered.wait_for_jit()) << tiered.jit_error();
  EXPECT_STREQ(tiered.name(), "jit");
  ASSERT_NE(tiered.jit(), nullptr);
  EXPECT_TRUE(tiered.jit()->stats().from_cache);
  expect_same(p, tiered, 200, 9);
}

TEST_F(JitTest, WaitForJitStartsBelowTheThreshold) {
  const plan::Plan& p = plan();
  JitOptions o = options(JitTier::kO0);
  o.native_after = std::numeric_limits<std::uint64_t>::max();
  TieredEvaluator tiered(p, kFakeHost, o);
  expect_same(p, tiered, 100, 10);
  EXPECT_FALSE(tiered.native_started());
  ASSERT_TRUE(tiered.wait_for_jit()) << tiered.jit_error();
  EXPECT_STREQ(tiered.name(), "jit");
}

// ------------------------------------------------------------------ cache

TEST_F(JitTest, CacheStoresThenHits) {
  const plan::Plan& p = plan();
  std::string error;
  auto first = JitEvaluator::create(p, kFakeHost, options(JitTier::kO0, true), &error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(first->stats().cache, "missing+stored");
  EXPECT_FALSE(first->stats().from_cache);
  EXPECT_TRUE(fs::exists(first->stats().cache_path));
  auto second = JitEvaluator::load_cached(p, kFakeHost, options(JitTier::kO0, true));
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->stats().from_cache);
  EXPECT_EQ(second->stats().cache, "hit");
  expect_same(p, *second, 500, 6);
  // Another tier is another key: no hit.
  EXPECT_FALSE(JitEvaluator::load_cached(p, kFakeHost, options(JitTier::kO2, true)));
}

// Damages the entry written for the plan, then checks it is detected, not loaded, and rebuilt.
void damage_and_rebuild(JitTest& t, const plan::Plan& p, const JitOptions& o,
                        const std::function<void(std::string&)>& damage, const char* expected) {
  std::string error;
  auto first = JitEvaluator::create(p, kFakeHost, o, &error);
  ASSERT_TRUE(first) << error;
  const std::string path = first->stats().cache_path;
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  damage(bytes);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_FALSE(JitEvaluator::load_cached(p, kFakeHost, o)) << "a damaged entry was loaded";
  auto rebuilt = JitEvaluator::create(p, kFakeHost, o, &error);
  ASSERT_TRUE(rebuilt) << error;
  EXPECT_EQ(rebuilt->stats().cache, fmt::format("{}+stored", expected));
  expect_same(p, *rebuilt, 300, 7);
  auto again = JitEvaluator::load_cached(p, kFakeHost, o);
  ASSERT_TRUE(again) << "the rebuilt entry is not a hit";
  expect_same(p, *again, 300, 8);
}

TEST_F(JitTest, CorruptEntryIsRebuilt) {
  const plan::Plan& p = plan();
  damage_and_rebuild(
      *this, p, options(JitTier::kO0, true), [](std::string& b) { b[b.size() - 100] ^= 0x5a; }, "corrupt");
}

TEST_F(JitTest, TruncatedEntryIsRebuilt) {
  const plan::Plan& p = plan();
  damage_and_rebuild(
      *this, p, options(JitTier::kO0, true), [](std::string& b) { b.resize(b.size() / 2); }, "truncated");
}

TEST_F(JitTest, ForeignEntryIsRebuilt) {
  const plan::Plan& p = plan();
  // An intact entry for another key (another CPU, LLVM or pack) under this file name.
  damage_and_rebuild(
      *this, p, options(JitTier::kO0, true),
      [this](std::string& b) {
        b = base::ArtifactCache((dir_ / "cache").string(), ".tjo")
                .seal("tusk-jit ir-format=1\ncpu=other\n",
                      "\x7f"
                      "ELF...");
      },
      "foreign");
}

TEST_F(JitTest, GarbageEntryIsRebuilt) {
  const plan::Plan& p = plan();
  damage_and_rebuild(
      *this, p, options(JitTier::kO0, true),
      [](std::string& b) {
        b = "not a cache entry at all, really: just some text, long enough for a header";
      },
      "corrupt");
}

TEST_F(JitTest, IrDumpIsDeterministicAndTargetFree) {
  const plan::Plan& p = plan();
  const std::string ir = dump_ir(p);
  EXPECT_EQ(ir, dump_ir(p));
  EXPECT_NE(ir.find("define void @tusk_eval_batch(ptr"), std::string::npos);
  // A built-in is called through its C-ABI entry with one CallArgs pointer, unless it is a
  // sum over a per-record array (count, len, count_distinct of a small lexicon): then loads.
  EXPECT_NE(ir.find("declare double @tusk_fn_near(ptr nocapture readonly)"), std::string::npos);
  EXPECT_NE(ir.find("call double @tusk_fn_weight_kg(ptr %call.args)"), std::string::npos);
  EXPECT_NE(ir.find("call i64 @llvm.ctpop.i64"), std::string::npos);
  // Once: for lexicon `big`, whose terms do not fit the bits.
  const std::size_t call = ir.find("call double @tusk_fn_count_distinct(ptr %call.args)");
  EXPECT_NE(call, std::string::npos);
  EXPECT_EQ(ir.find("call double @tusk_fn_count_distinct", call + 1), std::string::npos);
  EXPECT_EQ(ir.find("@tusk_fn_count("), std::string::npos);
  EXPECT_EQ(ir.find("@tusk_fn_len("), std::string::npos);
  EXPECT_EQ(ir.find("target triple"), std::string::npos);
}

}  // namespace
}  // namespace tusk::compiler::jit
