#include "serve/review_explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "serve/review_web.h"

namespace tusk::serve {

using ojson = nlohmann::ordered_json;

Explanation explain(const std::string& verdict_json) {
  Explanation e;
  const auto j = nlohmann::json::parse(verdict_json, nullptr, false);
  if (!j.is_object()) return e;
  if (j.contains("fired") && j["fired"].is_array()) {
    for (const auto& f : j["fired"]) {
      Explanation::Rule r;
      r.name = f.value("rule", "");
      r.reason = f.value("reason", "");
      r.score = f.value("score", 0.0);
      if (f.contains("evidence") && f["evidence"].is_array()) {
        for (const auto& ev : f["evidence"]) {
          r.evidence.push_back({ev.value("field", ""), ev.value("text", ""), ev.value("lexicon", ""),
                                ev.value("term", ""), r.name, ev.value("start", std::size_t{0}),
                                ev.value("end", std::size_t{0})});
        }
      }
      e.rules.push_back(std::move(r));
    }
  }
  if (j.contains("suggestions") && j["suggestions"].is_array()) {
    for (const auto& s : j["suggestions"]) {
      e.suggestions.emplace_back(s.value("name", ""), s.value("text", ""));
    }
  }
  e.message = j.value("message", "");
  if (j.contains("notes") && j["notes"].is_array()) {
    for (const auto& n : j["notes"]) {
      if (n.is_string()) e.notes.push_back(n.get<std::string>());
    }
  }
  return e;
}

namespace {

void flatten(const ojson& value, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      flatten(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
    }
  } else if (value.is_string()) {
    out.emplace_back(path, value.get<std::string>());
  } else if (value.is_array() && !value.empty() &&
             std::all_of(value.begin(), value.end(),
                         [](const ojson& v) { return v.is_string() || v.is_null(); })) {
    std::string joined;
    bool first = true;
    for (const auto& v : value) {
      if (v.is_null()) continue;
      if (!first) joined += '\n';
      joined += v.get<std::string>();
      first = false;
    }
    out.emplace_back(path, joined);
  } else if (!value.is_null()) {
    out.emplace_back(path, value.dump());
  }
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> record_fields(
    const std::string& record_json) {
  const auto record = ojson::parse(record_json, nullptr, false);
  if (record.is_discarded()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> fields;
  flatten(record, "", fields);
  return fields;
}

std::string highlight(const std::string& text, const std::vector<const Explanation::Span*>& spans) {
  std::vector<std::set<std::string>> labels(text.size());
  for (const auto* s : spans) {
    if (s->start >= s->end || s->end > text.size()) continue;
    for (std::size_t i = s->start; i < s->end; ++i) {
      labels[i].insert(fmt::format("{}: {}", s->rule, s->term.empty() ? s->text : s->term));
    }
  }
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    const bool marked = !labels[i].empty();
    std::set<std::string> all;
    while (j < text.size() && labels[j].empty() != marked) {
      all.insert(labels[j].begin(), labels[j].end());
      ++j;
    }
    if (marked) {
      std::string title;
      for (const auto& l : all) title += (title.empty() ? "" : "; ") + l;
      out += fmt::format("<mark title=\"{}\">{}</mark>", html(title), html(text.substr(i, j - i)));
    } else {
      out += html(text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

}  // namespace tusk::serve
