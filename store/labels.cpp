#include "store/labels.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace tusk::store {

LabelsExport export_labels(Store& store, const std::string& since, const std::string& labels_path,
                           const std::string& corpus_path) {
  // Latest decision per listing id (a listing scanned twice is labelled once).
  std::map<std::string, std::pair<StoredVerdict, Decision>> latest;
  for (auto& [v, d] : store.reviewed_since(since)) {
    auto it = latest.find(v.listing_id);
    if (it == latest.end() || it->second.second.id < d.id) latest[v.listing_id] = {v, d};
  }
  std::ofstream labels(labels_path, std::ios::binary);
  if (!labels) throw StoreError(fmt::format("cannot write {}", labels_path));
  std::ofstream corpus(corpus_path, std::ios::binary);
  if (!corpus) throw StoreError(fmt::format("cannot write {}", corpus_path));
  LabelsExport out;
  for (const auto& [id, vd] : latest) {
    const auto& [v, d] = vd;
    const bool confirm = d.decision == "confirm";
    nlohmann::json label = {
        {"id", id},
        {"expected", confirm ? "block" : "allow"},
        {"why",
         d.note.empty() ? fmt::format("{} by {}", confirm ? "confirmed" : "dismissed", d.reviewer) : d.note},
        {"family", v.family},
        {"reviewer", d.reviewer},
        {"decided_at", d.decided_at},
        {"verdict", v.action},
        {"pack", v.pack_name + " " + v.pack_version},
        {"store_id", v.id}};
    labels << label.dump() << '\n';
    // A corpus is one record per line: line breaks (JSON whitespace in a valid record) become spaces.
    std::string record = v.record;
    for (char& c : record) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    corpus << record << '\n';
    ++out.labels;
    ++(confirm ? out.confirmed : out.dismissed);
  }
  labels.close();
  corpus.close();
  if (!labels || !corpus) throw StoreError("cannot finish writing the labels or the corpus");
  return out;
}

}  // namespace tusk::store
