// Shared between build.cpp and verify.cpp (internal to bundle/).
#pragma once

#include <string>
#include <vector>

#include "bundle/archive.h"
#include "bundle/bundle.h"

namespace tusk::bundle {

// verify_bundle after the archive has been read: `entries` as read, `problems` found while
// reading, `public_pem` the configured key ("" none).
Verification verify_entries(const std::vector<Entry>& entries, std::vector<Problem> problems,
                            const std::string& public_pem, const VerifyOptions& options);

}  // namespace tusk::bundle
