// Record decoding throughput on ~800-byte listings with the default schema.
//   cmake --build build --target record_bench && build/bin/record_bench --benchmark_min_time=1
// Figures (CPU time, shared 2-core Ice Lake box): decode 1.09 us/record = 684 MB/s, 0.92 M rec/s;
// DOM parse only 0.19 us = 3.8 GB/s. See docs/records.md.
// BM_DecodeListing is the decoder Tusk uses (simdjson on-demand, only schema fields
// materialized); BM_DomParseOnly is simdjson's DOM parser on the same lines with no field
// extraction at all, the baseline the on-demand choice was measured against.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/record.h"
#include "stdlib/units.h"

namespace {

std::vector<std::string> make_listings(std::size_t n) {
  std::vector<std::string> lines;
  lines.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    lines.push_back(fmt::format(
        R"({{"id":"L-{}","title":"Antique carved bangle no. {}, old white material, heavy 1.2kg",)"
        R"("description":"Beautiful old bangle from an estate collection. Creamy white colour with natural grain )"
        R"(lines, hand carved with floral motifs. Heavy piece, weighs about 1.2kg. Shipping worldwide, discreet )"
        R"(packaging. Contact for more photos. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do )"
        R"(eiusmod tempor incididunt ut labore.","price":"${},200","currency":"USD","category":"antiques",)"
        R"("tags":["antique","bangle","carving","estate"],"seller":{{"id":"s-{}","country":"VN",)"
        R"("description":"Collector of Asian antiques since 1990","account_age_days":37}},"location":"Hanoi",)"
        R"("url":"https://example.com/l/{}","posted_at":"2026-10-30T10:00:00Z","views":{},)"
        R"("images":["a.jpg","b.jpg","c.jpg"]}})",
        i, i % 97, 1 + i % 9, i % 1000, i, i * 7 % 10000));
  }
  return lines;
}

const std::vector<std::string>& listings() {
  static const std::vector<std::string> kLines = make_listings(4096);
  return kLines;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t records) {
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["avg_bytes"] = static_cast<double>(bytes) / static_cast<double>(records ? records : 1);
}

void BM_DecodeListing(benchmark::State& state) {
  tusk::runtime::RecordSchema schema(tusk::stdlib::default_fields());
  tusk::runtime::RecordDecoder decoder(schema);
  tusk::runtime::Record record;
  const auto& lines = listings();
  std::size_t bytes = 0, records = 0, i = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ & (lines.size() - 1)];
    auto err = decoder.decode(line, record);
    if (!err.ok) state.SkipWithError(err.message.c_str());
    benchmark::DoNotOptimize(record.values.data());
    bytes += line.size();
    ++records;
  }
  report(state, bytes, records);
}
BENCHMARK(BM_DecodeListing);

void BM_DomParseOnly(benchmark::State& state) {
  simdjson::dom::parser parser;
  const auto& lines = listings();
  std::vector<simdjson::padded_string> padded(lines.begin(), lines.end());
  std::size_t bytes = 0, records = 0, i = 0;
  for (auto _ : state) {
    const auto& line = padded[i++ & (padded.size() - 1)];
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc)) state.SkipWithError("parse");
    benchmark::DoNotOptimize(doc);
    bytes += line.size();
    ++records;
  }
  report(state, bytes, records);
}
BENCHMARK(BM_DomParseOnly);

void BM_AllWeights(benchmark::State& state) {
  const auto& lines = listings();
  std::size_t bytes = 0, records = 0, i = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ & (lines.size() - 1)];
    benchmark::DoNotOptimize(tusk::stdlib::all_weights(line));
    bytes += line.size();
    ++records;
  }
  report(state, bytes, records);
}
BENCHMARK(BM_AllWeights);

}  // namespace

BENCHMARK_MAIN();
