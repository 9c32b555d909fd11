/* Tusk's C API: a stable ABI for Go (cgo), Python (ctypes/cffi), Java (JNA/Panama) and Rust.
 *
 * Handles are opaque. Every object a `_new` or `_compile` function returns is owned by the
 * caller and released with the matching `_free` (free(NULL) is a no-op). Strings passed in
 * are copied; strings returned are owned by the handle they come from and stay valid as the
 * comment says. Functions that can fail return a tusk_status; the message of the last
 * failure on the calling thread is tusk_last_error(). No function throws or aborts on bad
 * input.
 *
 * Threads: a tusk_pack and a tusk_engine may be shared by any number of threads; a
 * tusk_scanner belongs to one thread at a time. A scanner keeps its pack alive, so a pack
 * may be freed while scanners of it still run. */
#ifndef TUSK_TUSK_H
#define TUSK_TUSK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* C names, as C APIs spell them (the C++ naming rules do not apply here). */
/* NOLINTBEGIN(readability-identifier-naming) */
typedef enum tusk_status {
  TUSK_OK = 0,
  TUSK_ERROR_INVALID_ARGUMENT = 1, /* a null handle, an unknown field, a value of the wrong kind */
  TUSK_ERROR_COMPILE = 2,          /* the pack has errors: see the diagnostics */
  TUSK_ERROR_INTERNAL = 3          /* a failure of the machine (out of memory, ...) */
} tusk_status;

typedef enum tusk_action { TUSK_ALLOW = 0, TUSK_REVIEW = 1, TUSK_BLOCK = 2 } tusk_action;
typedef enum tusk_backend {
  TUSK_BACKEND_AUTO = 0,
  TUSK_BACKEND_JIT = 1,
  TUSK_BACKEND_INTERP = 2
} tusk_backend;
typedef enum tusk_on_budget { TUSK_FAIL_OPEN = 0, TUSK_FAIL_CLOSED = 1 } tusk_on_budget;
/* NOLINTEND(readability-identifier-naming) */

typedef struct tusk_options tusk_options;         /* compile options; defaults as in C++ */
typedef struct tusk_pack tusk_pack;               /* immutable, thread-safe */
typedef struct tusk_diagnostics tusk_diagnostics; /* the problems a compile found */
typedef struct tusk_scanner tusk_scanner;         /* per thread */
typedef struct tusk_verdict tusk_verdict;         /* borrowed from its scanner */
typedef struct tusk_engine tusk_engine;           /* hot reload, thread-safe */

/* "MAJOR.MINOR.PATCH". */
const char* tusk_version(void);
/* The message of the last failed call on this thread ("" when none). Valid until the next
 * failing call on this thread. */
const char* tusk_last_error(void);

/* Compile options. */
tusk_options* tusk_options_new(void);
void tusk_options_free(tusk_options* options);
void tusk_options_set_stdlib_dir(tusk_options* options, const char* dir);
void tusk_options_set_backend(tusk_options* options, tusk_backend backend);
void tusk_options_allow(tusk_options* options, const char* warning); /* "W003" or its name */
/* Limits (docs/embedding.md); 0 switches one off. */
void tusk_options_set_max_record_bytes(tusk_options* options, size_t bytes);
void tusk_options_set_max_field_bytes(tusk_options* options, size_t bytes);
void tusk_options_set_max_matches_per_pattern(tusk_options* options, size_t matches);
void tusk_options_set_max_terms_per_pack(tusk_options* options, size_t terms);
/* Work units one listing may cost (bytes decoded, normalized and scanned, matches kept, hits
 * visited, plan steps); counted, not timed. A spent budget sends the listing to review (or
 * allows it with TUSK_FAIL_OPEN), with a note. */
void tusk_options_set_work_budget(tusk_options* options, uint64_t units);
void tusk_options_set_on_budget(tusk_options* options, tusk_on_budget choice);
/* The on-disk cache of compiled pattern databases and JIT code (docs/embedding.md): on by
 * default, in $TUSK_CACHE_DIR, else $XDG_CACHE_HOME/tusk, else ~/.cache/tusk. */
void tusk_options_set_use_cache(tusk_options* options, int use_cache);
void tusk_options_set_cache_dir(tusk_options* options, const char* dir); /* NULL or "": default */

/* Compiles a pack directory or .tusk file. `options` may be NULL. On TUSK_OK `*pack` is set;
 * on TUSK_ERROR_COMPILE it is NULL. `*diagnostics` (when `diagnostics` is not NULL) is set in
 * both cases, holding warnings or errors, and must be freed. */
tusk_status tusk_pack_compile(const char* path, const tusk_options* options, tusk_pack** pack,
                              tusk_diagnostics** diagnostics);
/* A pack from `count` .tusk files on disk without a pack.yaml: paths[0] carries the pack
 * header, the others are further sources of the same pack. */
tusk_status tusk_pack_compile_files(const char* const* paths, size_t count, const tusk_options* options,
                                    tusk_pack** pack, tusk_diagnostics** diagnostics);
/* A pack from strings: `count` files, paths[i] -> texts[i]; `main` is the .tusk file to start
 * from, or NULL / "" when one of the files is pack.yaml. */
tusk_status tusk_pack_compile_sources(const char* const* paths, const char* const* texts, size_t count,
                                      const char* main, const tusk_options* options, tusk_pack** pack,
                                      tusk_diagnostics** diagnostics);
void tusk_pack_free(tusk_pack* pack);
/* Valid while the pack lives. */
const char* tusk_pack_name(const tusk_pack* pack);
const char* tusk_pack_version(const tusk_pack* pack);
const char* tusk_pack_digest(const tusk_pack* pack);

size_t tusk_diagnostics_count(const tusk_diagnostics* diagnostics);
/* Fields of diagnostic i; NULL when i is out of range. Valid while `diagnostics` lives. */
const char* tusk_diagnostic_code(const tusk_diagnostics* diagnostics, size_t i);     /* "E012" */
const char* tusk_diagnostic_severity(const tusk_diagnostics* diagnostics, size_t i); /* "error" */
const char* tusk_diagnostic_message(const tusk_diagnostics* diagnostics, size_t i);
const char* tusk_diagnostic_file(const tusk_diagnostics* diagnostics, size_t i);
uint32_t tusk_diagnostic_line(const tusk_diagnostics* diagnostics, size_t i);
uint32_t tusk_diagnostic_column(const tusk_diagnostics* diagnostics, size_t i);
/* Every diagnostic, rustc-style, as `tusk check` prints them. */
const char* tusk_diagnostics_rendered(const tusk_diagnostics* diagnostics);
void tusk_diagnostics_free(tusk_diagnostics* diagnostics);

/* A scanner keeps its own reference to the pack. */
tusk_scanner* tusk_scanner_new(const tusk_pack* pack);
void tusk_scanner_free(tusk_scanner* scanner);

/* Evaluates one listing (a JSON object, `size` bytes, need not be NUL-terminated). A listing
 * that cannot be read is not a failure: the call returns TUSK_OK and a verdict whose
 * tusk_verdict_ok() is 0. `*verdict` belongs to the scanner and stays valid until the next
 * scan on it. */
tusk_status tusk_scan_json(tusk_scanner* scanner, const char* json, size_t size,
                           const tusk_verdict** verdict);

/* A listing filled field by field: begin, set fields, then scan. A setter fails with
 * TUSK_ERROR_INVALID_ARGUMENT for a field the pack does not have or a value of the wrong kind.
 * The listing is built against the pack current at begin (an engine swap does not move it).
 * tusk_scan_json on the same scanner before tusk_scanner_scan drops the unfinished listing:
 * the setters and tusk_scanner_scan then fail with TUSK_ERROR_INVALID_ARGUMENT until the
 * next tusk_scanner_begin. */
tusk_status tusk_scanner_begin(tusk_scanner* scanner, const char* id);
tusk_status tusk_scanner_set_text(tusk_scanner* scanner, const char* field, const char* text, size_t size);
tusk_status tusk_scanner_set_number(tusk_scanner* scanner, const char* field, double value);
tusk_status tusk_scanner_set_money(tusk_scanner* scanner, const char* field, double amount,
                                   const char* currency);
tusk_status tusk_scanner_add_element(tusk_scanner* scanner, const char* field, const char* text, size_t size);
tusk_status tusk_scanner_scan(tusk_scanner* scanner, const tusk_verdict** verdict);

/* Verdict accessors; strings are valid as long as the verdict. */
int tusk_verdict_ok(const tusk_verdict* verdict);
const char* tusk_verdict_error(const tusk_verdict* verdict);
const char* tusk_verdict_id(const tusk_verdict* verdict);
tusk_action tusk_verdict_action(const tusk_verdict* verdict);
double tusk_verdict_score(const tusk_verdict* verdict);
size_t tusk_verdict_fired_count(const tusk_verdict* verdict);
const char* tusk_verdict_fired_rule(const tusk_verdict* verdict, size_t i);
size_t tusk_verdict_notes_count(const tusk_verdict* verdict);
const char* tusk_verdict_note(const tusk_verdict* verdict, size_t i);
const char* tusk_verdict_pack_digest(const tusk_verdict* verdict);
/* The verdict as one line of JSON (docs/architecture.md); `size` may be NULL. */
const char* tusk_verdict_json(const tusk_verdict* verdict, size_t* size);

/* Hot reload. The engine takes its own reference to `pack`. */
tusk_engine* tusk_engine_new(const tusk_pack* pack);
void tusk_engine_free(tusk_engine* engine); /* after every scanner made from it */
/* Compiles `path` and swaps it in when it compiles; on errors the old pack stays. */
tusk_status tusk_engine_reload(tusk_engine* engine, const char* path, const tusk_options* options,
                               tusk_diagnostics** diagnostics);
tusk_status tusk_engine_swap(tusk_engine* engine, const tusk_pack* pack);
/* A scanner that follows the engine's current pack: each scan uses the pack current when it
 * starts. Per thread, like any scanner; free it with tusk_scanner_free before the engine. */
tusk_scanner* tusk_engine_scanner_new(tusk_engine* engine);

#ifdef __cplusplus
}
#endif

#endif /* TUSK_TUSK_H */
