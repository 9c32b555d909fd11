// What the reviewer console shows of a stored verdict (serve/review_console.cpp): the rules
// that fired with their evidence, the record's fields, and a field's text with the evidence
// marked.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tusk::serve {

// The rules of a stored verdict that fired with a score, and every evidence span.
struct Explanation {
  struct Span {
    std::string field, text, lexicon, term, rule;
    std::size_t start = 0, end = 0;
  };
  struct Rule {
    std::string name, reason;
    double score = 0;
    std::vector<Span> evidence;
  };
  std::vector<Rule> rules;
  std::vector<std::pair<std::string, std::string>> suggestions;  // name, text
  std::string message;
  std::vector<std::string> notes;
};

Explanation explain(const std::string& verdict_json);

// The record's text as the engine read it, field by field (dotted paths, text lists joined with
// newlines), in the seller's order; nullopt when the record is not JSON.
std::optional<std::vector<std::pair<std::string, std::string>>> record_fields(const std::string& record_json);

// `text` as HTML with the spans marked: overlapping spans are merged, and each mark names the
// rules and terms behind it.
std::string highlight(const std::string& text, const std::vector<const Explanation::Span*>& spans);

}  // namespace tusk::serve
