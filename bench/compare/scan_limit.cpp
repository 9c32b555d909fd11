// The scan-only limit: what any engine must at least do per record, with nothing else.
// simdjson decodes each line, title and description are joined, and ONE Vectorscan pass of all
// the pack's terms (caseless literals, no word boundaries, no normalization, no rules) runs over
// them. Matches are only counted.
//
//   scan_limit SPEC.tsv CORPUS.jsonl
#include <hs/hs.h>

#include "bench/compare/harness_common.h"

namespace {

std::string hs_literal(const std::string& term) {
  // Every byte that is not an ASCII letter or digit is written as \xHH, so no term can be read
  // as regex syntax (UTF-8 bytes included).
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : term) {
    if (std::isalnum(c) && c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

int on_match(unsigned int, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: scan_limit SPEC.tsv CORPUS.jsonl\n");
    return 2;
  }
  const auto setup_start = std::chrono::steady_clock::now();
  const compare::Spec spec = compare::read_spec(argv[1]);
  std::vector<std::string> exprs;
  std::vector<const char*> ptrs;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < spec.terms.size(); ++i) exprs.push_back(hs_literal(spec.terms[i].text));
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    ptrs.push_back(exprs[i].c_str());
    flags.push_back(HS_FLAG_CASELESS);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "hs_compile_multi: %s\n", err->message);
    return 1;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  const compare::Corpus corpus = compare::read_corpus(argv[2]);
  const double setup = compare::seconds_since(setup_start);

  simdjson::ondemand::parser parser;
  compare::Record rec;
  std::size_t matches = 0, bad = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < corpus.lines.size(); ++i) {
    if (!compare::decode(parser, corpus, i, rec)) {
      ++bad;
      continue;
    }
    hs_scan(db, rec.text.data(), static_cast<unsigned>(rec.title_and_description), 0, scratch, on_match,
            &matches);
  }
  const double secs = compare::seconds_since(start);
  std::fprintf(stderr, "scan_limit: %zu terms, %zu matches, %zu unreadable lines\n", spec.terms.size(),
               matches, bad);
  compare::report("scan_limit", corpus.lines.size(), corpus.bytes, secs, setup);
  hs_free_scratch(scratch);
  hs_free_database(db);
  return 0;
}
