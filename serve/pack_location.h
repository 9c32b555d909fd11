// What `--pack` names, and how the server notices that it changed: a pack directory or .tusk
// file, a bundle file (.tar.gz / .tgz), or the http:// or https:// URL of a bundle.
// docs/serving.md ("Reload, bundles and watching") is the user's side of this.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "serve/pack_loader.h"

namespace tusk::serve {

struct LocationSettings {
  std::string location;         // --pack
  std::string public_key_file;  // --public-key: bundles must be signed with it (required for URLs)
  std::string ca_file;          // --pack-ca-file: CA certificates for an https:// location
  std::size_t max_bundle_bytes = 256u << 20;
  double fetch_timeout = 30;  // seconds, one download
};

class PackLocation {
 public:
  explicit PackLocation(LocationSettings settings);
  ~PackLocation();
  PackLocation(const PackLocation&) = delete;
  PackLocation& operator=(const PackLocation&) = delete;

  // Refuses what can be known wrong before any load: a malformed URL, a URL without a public
  // key (a bundle fetched over the network is only trusted when signed). "" when fine.
  std::string check() const;

  // Loads what the location names now. A URL is downloaded (unless the poller has just
  // downloaded a newer copy) into a private directory and verified as a bundle.
  LoadedPack load(const CompileOptions& options);

  // For the poller: has the source changed since the last load()? Files: a fingerprint of the
  // size and modification time of every file of the pack (or of the bundle file). A URL: a
  // conditional GET (If-None-Match / If-Modified-Since); a 200 keeps the download for the next
  // load(), a 304 is "no". An error (`error` set) counts as no change.
  bool changed(std::string& error);

  bool is_url() const { return url_; }

 private:
  std::string fingerprint() const;
  LoadedPack load_downloaded(const std::string& bytes, const CompileOptions& options);

  LocationSettings s_;
  bool url_ = false;
  std::mutex mutex_;        // load() and changed() both run on the reload thread; this is for safety
  std::string last_print_;  // files: the fingerprint at the last load
  std::string etag_, last_modified_;  // URL: validators of the copy last loaded
  std::string pending_;               // URL: a copy downloaded by changed(), not loaded yet
  std::string dir_;                   // URL: private (0700) directory the downloads are written to
};

}  // namespace tusk::serve
