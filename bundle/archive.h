// Reading and writing a bundle's .tar.gz with libarchive (internal to bundle/; no libarchive
// type leaves archive.cpp). Only regular files with safe relative names are accepted, within
// the bounds of bundle.h.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "bundle/bundle.h"

namespace tusk::bundle {

struct Entry {
  std::string name;
  std::string data;
};

struct ArchiveRead {
  bool io_error = false;          // the file could not be opened or read (not a bad bundle)
  std::vector<Entry> entries;     // in archive order; entries with problems are left out
  std::vector<Problem> problems;  // unsafe names, other file types, bounds, damage
};

ArchiveRead read_archive(const std::string& path, const Bounds& bounds);

// Writes `entries` as a gzip-compressed POSIX tar, every entry a regular file of mode 0644
// owned by 0:0 with mtime `mtime`. Written to a temporary file beside `path` and renamed over
// it, so a failure leaves no partial bundle. Returns "" or the error.
std::string write_archive(const std::string& path, const std::vector<Entry>& entries, std::time_t mtime);

// "" when `name` is a safe member name: relative, '/'-separated, no empty, "." or ".."
// component, no backslash or control character, at most 255 bytes. Otherwise why not.
std::string unsafe_name(const std::string& name);

}  // namespace tusk::bundle
