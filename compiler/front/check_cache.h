// Results of the front end's costliest steps kept by content, so that loading a pack does not
// redo them: parsed lexicon files and regex compile checks. In memory for the life of the
// process (a reload, a test suite, a fuzzer) and on disk in the artifact cache
// (base/artifact_cache.h, entries ".tlx") for the next process. yaml-cpp's parse of the standard
// library's lexicons (1.8 MB of YAML for the wildlife pack) was more than half of the CPU time of
// loading that pack, and compiling its regexes one by one to check them another ~10%.
//
// Only files that parsed without any diagnostic are kept, so a hit reports nothing a parse would
// have. The key is the file's SHA-256 and length with the Tusk version and this encoding's
// version: a changed file is a different key and parses afresh. An entry on disk is believed
// only when its MAC verifies and it decodes completely with spans inside the file; anything
// else is parsed again and the entry rewritten.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.h"
#include "compiler/front/checked.h"

namespace tusk::compiler::front {

struct CheckCacheOptions {
  bool use_disk = false;  // also look in, and write to, the artifact cache directory
  std::string dir;        // empty: base::default_cache_dir()
};

// What a lookup found, for tests and `--explain`-style reports: "memory", "disk", or the
// artifact cache's word for a miss ("missing", "corrupt", ...; "undecodable" for an entry whose
// MAC held but whose bytes are not terms of this file; "off" without the disk).
struct CheckCacheStatus {
  std::string lookup;
  std::string path;  // the entry's file on disk, when the disk was asked
};

// The terms of a lexicon file with this text, spans pointing into `source`, or nothing.
std::optional<std::vector<CheckedTerm>> find_parsed_lexicon(std::string_view text, base::SourceId source,
                                                            const CheckCacheOptions& options,
                                                            CheckCacheStatus* status = nullptr);
// Keeps the terms of a file that parsed without a diagnostic, in memory and, if asked, on disk.
void remember_parsed_lexicon(std::string_view text, const std::vector<CheckedTerm>& terms,
                             const CheckCacheOptions& options);
// Empties the in-memory part (tests that want the disk to answer).
void forget_parsed_lexicons();

// A check that passed for exactly this key (which names everything it depends on, as
// regex_check_key does), and remembering one. Only passes are kept: a failure is always
// computed again, with its diagnostics.
bool find_check_result(const std::string& key, const CheckCacheOptions& options);
void remember_check_result(const std::string& key, const CheckCacheOptions& options);

// The entry's key, and the terms' encoding and its strict decoding (nothing on any
// inconsistency); exposed for tests that damage entries.
std::string lexicon_cache_key(std::string_view text);
std::string encode_lexicon_terms(const std::vector<CheckedTerm>& terms);
std::optional<std::vector<CheckedTerm>> decode_lexicon_terms(std::string_view bytes, std::size_t text_bytes);

}  // namespace tusk::compiler::front
