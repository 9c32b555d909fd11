// The RE2::Set evaluator: one RE2::Set of every term (case-insensitive, word-bounded with
// Unicode classes, since RE2's \b is ASCII-only and RE2 has no lookaround), matched once per
// record; the rules are then evaluated over the set of lexicons whose terms matched.
//
//   re2_harness SPEC.tsv CORPUS.jsonl RESULTS.tsv
#include <re2/re2.h>
#include <re2/set.h>

#include "bench/compare/harness_common.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: re2_harness SPEC.tsv CORPUS.jsonl RESULTS.tsv\n");
    return 2;
  }
  const auto setup_start = std::chrono::steady_clock::now();
  const compare::Spec spec = compare::read_spec(argv[1]);
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_max_mem(std::int64_t{2} << 30);  // the DFA of ~2,400 alternatives outgrows the 8 MB default
  RE2::Set set(options, RE2::UNANCHORED);
  for (const compare::Term& t : spec.terms) {
    // A space in a term matches a run of whitespace other than the newline that joins fields,
    // as Tusk's whitespace step makes it.
    std::string body;
    for (const auto& word : compare::split(t.text, ' ')) {
      if (!body.empty()) body += "[\\t\\f\\v\\r \\x{a0}\\x{3000}]+";
      body += RE2::QuoteMeta(word);
    }
    const std::string re = t.word ? "(?:^|[^\\pL\\pN\\pM])" + body + "(?:$|[^\\pL\\pN\\pM])" : body;
    std::string error;
    if (set.Add(re, &error) < 0) {
      std::fprintf(stderr, "RE2::Set::Add(%s): %s\n", re.c_str(), error.c_str());
      return 1;
    }
  }
  if (!set.Compile()) {
    std::fprintf(stderr, "RE2::Set::Compile failed\n");
    return 1;
  }
  const compare::Corpus corpus = compare::read_corpus(argv[2]);
  const double setup = compare::seconds_since(setup_start);

  simdjson::ondemand::parser parser;
  compare::Record rec;
  compare::Outcome outcome;
  std::vector<int> matched;
  std::vector<char> lex_hit(spec.lexicons.size());
  std::string results;
  std::size_t bad = 0;
  RE2::Set::ErrorInfo info;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < corpus.lines.size(); ++i) {
    if (!compare::decode(parser, corpus, i, rec)) {
      ++bad;
      continue;
    }
    std::fill(lex_hit.begin(), lex_hit.end(), 0);
    matched.clear();
    // One match over the joined fields: the newline between them is a boundary for whole words
    // and is not whitespace inside a term, so no term spans two fields.
    if (!set.Match(rec.text, &matched, &info) && info.kind != RE2::Set::kNoError) {
      std::fprintf(stderr, "RE2::Set::Match failed (kind %d)\n", static_cast<int>(info.kind));
      return 1;
    }
    for (int id : matched) lex_hit[spec.terms[id].lexicon] = 1;
    compare::evaluate(spec, lex_hit, rec, outcome);
    compare::append_result(results, spec, rec, outcome);
  }
  const double secs = compare::seconds_since(start);
  std::FILE* out = std::fopen(argv[3], "wb");
  std::fwrite(results.data(), 1, results.size(), out);
  std::fclose(out);
  std::fprintf(stderr, "re2_harness: %zu patterns, %zu unreadable lines\n", spec.terms.size(), bad);
  compare::report("re2_set", corpus.lines.size(), corpus.bytes, secs, setup);
  return 0;
}
