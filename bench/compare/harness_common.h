// Shared by the C++ comparison harnesses (scan_limit.cpp, re2_harness.cpp): the rule spec
// written by gen_pack.py, JSONL loading, record decoding with simdjson, rule evaluation over the
// set of matched lexicons, and the result/timing output that run.sh reads.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace compare {

struct Term {
  std::string text;
  bool word = true;  // whole word (W) or substring (S)
  int lexicon = 0;
};

struct Rule {
  std::string name;
  int score = 0;
  int lex = -1;
  int ctx = -1;  // -1: no context lexicon
  std::vector<std::string> cats;
};

struct Spec {
  std::vector<std::string> lexicons;
  std::vector<Term> terms;
  std::vector<Rule> rules;
  int block = 80, review = 40;
};

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(b, i - b));
      b = i + 1;
    }
  }
  return out;
}

inline Spec read_spec(const char* path) {
  Spec spec;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  std::unordered_map<std::string, int> lex_id;
  for (std::string line; std::getline(in, line);) {
    auto f = split(line, '\t');
    if (f[0] == "lex") {
      lex_id[f[1]] = static_cast<int>(spec.lexicons.size());
      spec.lexicons.push_back(f[1]);
    } else if (f[0] == "term") {
      spec.terms.push_back({f[2], f[1] == "W", static_cast<int>(spec.lexicons.size()) - 1});
    } else if (f[0] == "rule") {
      Rule r;
      r.name = f[1];
      r.score = std::atoi(f[2].c_str());
      r.lex = lex_id.at(f[3]);
      r.ctx = f[4] == "-" ? -1 : lex_id.at(f[4]);
      if (f[5] != "-") r.cats = split(f[5], ',');
      spec.rules.push_back(std::move(r));
    } else if (f[0] == "decide") {
      spec.block = std::atoi(f[1].c_str());
      spec.review = std::atoi(f[2].c_str());
    }
  }
  return spec;
}

// The corpus, read whole before timing starts, with simdjson's padding after every line.
struct Corpus {
  std::string data;
  std::vector<std::pair<std::size_t, std::size_t>> lines;  // offset, length
  std::size_t bytes = 0;                                   // input bytes, newlines included
};

inline Corpus read_corpus(const char* path) {
  Corpus c;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  c.bytes = all.size();
  std::size_t b = 0;
  while (b < all.size()) {
    std::size_t e = all.find('\n', b);
    if (e == std::string::npos) e = all.size();
    c.lines.emplace_back(c.data.size(), e - b);
    c.data.append(all, b, e - b);
    c.data.append(simdjson::SIMDJSON_PADDING, ' ');
    b = e + 1;
  }
  return c;
}

// The fields the rules read. `text` is title, description and tags joined by newlines: the text
// fields Tusk's `text` covers in this corpus.
struct Record {
  std::string id;
  std::string category;
  std::string text;
  std::size_t title_and_description = 0;  // length of "title\ndescription" at the start of text
  std::string title, desc, tags;          // scratch, reused so that decoding does not allocate
};

inline bool decode(simdjson::ondemand::parser& parser, const Corpus& c, std::size_t i, Record& r) {
  r.id.clear();
  r.category.clear();
  r.text.clear();
  std::string& title = r.title;
  std::string& desc = r.desc;
  std::string& tags = r.tags;
  title.clear();
  desc.clear();
  tags.clear();
  const auto [off, len] = c.lines[i];
  simdjson::padded_string_view view(c.data.data() + off, len, len + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document doc;
  if (parser.iterate(view).get(doc)) return false;
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) return false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    std::string_view s;
    if (key == "id") {
      if (!field.value().get_string().get(s)) r.id = s;
    } else if (key == "title") {
      if (!field.value().get_string().get(s)) title = s;
    } else if (key == "description") {
      if (!field.value().get_string().get(s)) desc = s;
    } else if (key == "category") {
      if (!field.value().get_string().get(s)) r.category = s;
    } else if (key == "tags") {
      simdjson::ondemand::array arr;
      if (!field.value().get_array().get(arr)) {
        for (auto v : arr) {
          if (!v.get_string().get(s)) {
            tags += '\n';
            tags += s;
          }
        }
      }
    }
  }
  r.text = title;
  r.text += '\n';
  r.text += desc;
  r.title_and_description = r.text.size();
  r.text += tags;
  return true;
}

// Rule evaluation over the matched lexicons, the same shape gen_pack.py writes for Tusk.
struct Outcome {
  int score = 0;
  const char* action = "allow";
  std::vector<int> fired;
};

inline bool equal_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

inline void evaluate(const Spec& spec, const std::vector<char>& lex_hit, const Record& r, Outcome& out) {
  out.score = 0;
  out.fired.clear();
  for (std::size_t k = 0; k < spec.rules.size(); ++k) {
    const Rule& rule = spec.rules[k];
    if (!lex_hit[rule.lex]) continue;
    bool alt = rule.ctx < 0 && rule.cats.empty();
    if (!alt && rule.ctx >= 0) alt = lex_hit[rule.ctx];
    for (std::size_t c = 0; !alt && c < rule.cats.size(); ++c) alt = equal_folded(r.category, rule.cats[c]);
    if (!alt) continue;
    out.fired.push_back(static_cast<int>(k));
    out.score += rule.score;
  }
  out.action = out.score >= spec.block ? "block" : out.score >= spec.review ? "review" : "allow";
}

inline void append_result(std::string& out, const Spec& spec, const Record& r, const Outcome& o) {
  out += r.id;
  out += '\t';
  out += o.action;
  out += '\t';
  for (std::size_t k = 0; k < o.fired.size(); ++k) {
    if (k) out += ',';
    out += spec.rules[o.fired[k]].name;
  }
  out += '\n';
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One line on stdout that run.sh parses: name, records, input bytes, scan seconds, setup seconds.
inline void report(const char* name, std::size_t records, std::size_t bytes, double secs, double setup) {
  std::printf("RESULT %s records=%zu bytes=%zu seconds=%.6f setup=%.6f mbps=%.2f rps=%.0f\n", name, records,
              bytes, secs, setup, bytes / 1e6 / secs, records / secs);
}

}  // namespace compare
