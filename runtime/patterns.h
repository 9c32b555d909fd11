// Multi-pattern matching over normalized text: every lexicon term and regex of a scan pass is
// compiled into ONE Vectorscan database and each field text is scanned once.
//
// Inputs are already normalized (runtime/normalize.h): term texts and scanned texts are valid
// UTF-8, case-folded, and whitespace runs are collapsed to one U+0020, so a term's single space
// matches exactly one space in the text. Matching is case-sensitive on those bytes; only the
// regex flag `i` makes a regex caseless.
//
// Threading (compile once, scan many): a PatternDb is immutable and may be shared by any number
// of threads. A PatternScratch is per-thread mutable state; one scratch may serve several
// databases (it grows on first use with a new one) but never two scans at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/words.h"

namespace tusk::runtime {

enum class PatternKind : std::uint8_t { kTerm, kRegex };

// Term semantics. Word characters are Unicode letters, marks and numbers (is_word_char); two
// neighbouring word characters belong to one word unless either is from a script where each
// character is a word (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar), as in WordIndex.
// - A term whose first/last character is a word character must start/end a word there:
//   "ivory" matches in "old ivory," and "象牙ivory" but not in "ivorybill", "bivory" or
//   "ivoryé". Edges that are not word characters ("#ivory") have no boundary condition.
// - `prefix` ("tusk*"): left boundary only; the reported match extends to the end of the word
//   ("tusks," -> "tusks").
// - A term containing a character of a script written without spaces (the ones above and
//   Hangul) matches as a substring anywhere: "象牙" in "象牙手镯".
// - `edit_distance` N > 0: Levenshtein distance in code points (insert, delete, substitute; a
//   transposition costs 2), boundaries as above. For each end offset, the reported start is the
//   boundary-respecting one with the fewest edits, then the leftmost. N is at most
//   kMaxEditDistance and less than the term's length in code points.
struct PatternSpec {
  std::uint32_t id = 0;  // the caller's id, reported back in every Match
  PatternKind kind = PatternKind::kTerm;
  // Normalized term text, or a regex in Vectorscan's PCRE subset. Regexes run in UTF-8 mode
  // (`.` and classes are code points) with ASCII \w \d \s \b; \p{L} \p{N} are Unicode.
  std::string text;
  bool prefix = false;
  int edit_distance = 0;
  std::string flags;  // regex flags, any of "ismx"; must be empty for terms
};

inline constexpr int kMaxEditDistance = 3;

struct PatternDbOptions {
  // kHost tunes the database for, and lets it use the instruction set of, the compiling CPU.
  // kGeneric builds for the baseline of the Vectorscan build (no AVX2/AVX-512 code paths): a
  // database serialized from it can be cached and loaded on any machine running the same
  // Vectorscan version, at some cost in scan speed on wide-vector CPUs.
  enum class Target : std::uint8_t { kHost, kGeneric };
  Target target = Target::kHost;
};

// What a database compiled with `options` depends on besides its patterns: the Vectorscan
// version, the serialized layout and the target platform (tuning family and CPU features, the
// host's for kHost). Keys cached databases (runtime/pattern_cache.h).
std::string pattern_platform(const PatternDbOptions& options);

// Byte offsets into the scanned text, [start, end).
struct Match {
  std::uint32_t id;
  std::uint32_t start;
  std::uint32_t end;
  friend bool operator==(const Match&, const Match&) = default;
};

class PatternScratch;

class PatternDb {
 public:
  struct Impl;

  // Compiles all specs into one database. On failure returns nullptr, sets *error to a message
  // and *bad_pattern to the index in `specs` of the offending spec (or specs.size() when no
  // single spec is to blame). An empty `specs` gives a valid database that never matches.
  static std::unique_ptr<PatternDb> compile(const std::vector<PatternSpec>& specs,
                                            const PatternDbOptions& options, std::string* error,
                                            std::uint32_t* bad_pattern);

  // Compiles one regex alone with the flags compile() would use; returns Vectorscan's message
  // (or ours, for an unknown flag) or "" when it compiles. For diagnostics at the regex span.
  static std::string check_regex(const std::string& pattern, const std::string& flags);

  // Serialized form for caching compiled packs; deserialize() returns nullptr on bytes that are
  // not a database from this Tusk build and a compatible CPU (see PatternDbOptions::Target).
  std::string serialize() const;
  static std::unique_ptr<PatternDb> deserialize(std::string_view bytes, std::string* error);

  std::size_t size() const;   // number of patterns
  std::size_t bytes() const;  // compiled database size
  ~PatternDb();
  PatternDb(const PatternDb&) = delete;
  PatternDb& operator=(const PatternDb&) = delete;

 private:
  explicit PatternDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend void scan(const PatternDb&, PatternScratch&, std::string_view, std::vector<Match>&);
  friend class PatternScratch;
};

class PatternScratch {
 public:
  PatternScratch();
  explicit PatternScratch(const PatternDb& db);
  PatternScratch(PatternScratch&&) noexcept;
  PatternScratch& operator=(PatternScratch&&) noexcept;
  ~PatternScratch();

  // Makes the scratch usable with `db` too (scan() also does this lazily). Returns false only
  // when Vectorscan cannot allocate.
  bool reserve(const PatternDb& db);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend void scan(const PatternDb&, PatternScratch&, std::string_view, std::vector<Match>&);
};

// Appends the matches in `text` to `out`; the appended range is sorted by (start, id, end) and
// holds each (id, start, end) once. Overlapping matches are all reported. A regex gives, for each
// leftmost start, its longest end (/a+/ in "aaa" is [0,3) only, not also [0,1) and [0,2)).
// `text` should be valid UTF-8 (normalized text is); on invalid bytes nothing crashes and terms
// still match, but regex results are unspecified. Texts of 4 GiB or more are not scanned.
void scan(const PatternDb& db, PatternScratch& scratch, std::string_view text, std::vector<Match>& out);

}  // namespace tusk::runtime
