// Reviewer decisions as labels: the verdicts whose latest decision is confirm (expected block)
// or dismiss (expected allow), written as a labels file that `tusk eval --labels` reads, with
// their records as a corpus file (docs/review.md).
#pragma once

#include <string>

#include "store/store.h"

namespace tusk::store {

struct LabelsExport {
  std::size_t labels = 0, confirmed = 0, dismissed = 0;
};

// One label and one corpus line per listing id (its latest reviewed verdict). `since` is in the
// store's UTC form (parse_utc). Throws StoreError when a file cannot be written.
LabelsExport export_labels(Store& store, const std::string& since, const std::string& labels_path,
                           const std::string& corpus_path);

}  // namespace tusk::store
