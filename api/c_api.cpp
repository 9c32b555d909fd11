// The C API (tusk/tusk.h) over the C++ one. Every entry point catches: no exception crosses
// into C. Failures set a thread-local message for tusk_last_error().
#include <cstring>
#include <exception>
#include <memory>
#include <new>

#include "tusk/engine.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"
#include "tusk/tusk.h"
#include "tusk/version.h"

struct tusk_options {
  tusk::CompileOptions options;
};
struct tusk_pack {
  std::shared_ptr<const tusk::Pack> pack;
};
struct tusk_diagnostics {
  std::vector<tusk::Diagnostic> items;
  std::string rendered;
};
struct tusk_verdict {
  tusk::Verdict verdict;
  std::string json;
  bool json_ready = false;
};
struct tusk_scanner {
  std::unique_ptr<tusk::Scanner> own;             // a scanner of one pack
  std::unique_ptr<tusk::EngineScanner> follower;  // or one that follows an engine
  tusk::Scanner* building = nullptr;              // pinned by begin() until scan()
  tusk_verdict verdict;
  tusk::Scanner& current() { return own ? *own : follower->scanner(); }
};
struct tusk_engine {
  std::unique_ptr<tusk::Engine> engine;
};

namespace {

thread_local std::string last_error;

tusk_status fail(tusk_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

// Runs `body` and turns any exception into a status.
template <class F>
tusk_status guarded(F&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(TUSK_ERROR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(TUSK_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(TUSK_ERROR_INTERNAL, "unknown error");
  }
}

tusk_status finish_compile(tusk::CompileResult result, tusk_pack** pack, tusk_diagnostics** diagnostics) {
  if (diagnostics != nullptr) {
    *diagnostics = new tusk_diagnostics{std::move(result.diagnostics), std::move(result.rendered)};
  }
  if (!result.pack) {
    std::string first = "the pack has errors";
    if (diagnostics != nullptr && *diagnostics != nullptr) {
      for (const auto& d : (*diagnostics)->items) {
        if (d.severity == "error") {
          first = d.file.empty() ? d.message : d.file + ": " + d.message;
          break;
        }
      }
    }
    return fail(TUSK_ERROR_COMPILE, first);
  }
  *pack = new tusk_pack{std::move(result.pack)};
  return TUSK_OK;
}

const tusk::CompileOptions& options_of(const tusk_options* options) {
  static const tusk::CompileOptions kDefaults;
  return options != nullptr ? options->options : kDefaults;
}

const tusk::Diagnostic* diag(const tusk_diagnostics* d, size_t i) {
  return d != nullptr && i < d->items.size() ? &d->items[i] : nullptr;
}

tusk_status scanned(tusk_scanner* s, const tusk_verdict** verdict) {
  s->verdict.json_ready = false;
  if (verdict != nullptr) *verdict = &s->verdict;
  return TUSK_OK;
}

tusk_status setter_result(bool ok, const char* field) {
  if (ok) return TUSK_OK;
  return fail(TUSK_ERROR_INVALID_ARGUMENT,
              std::string("no field `") + field +
                  "` of that kind in the pack's schema (or tusk_scanner_begin not called)");
}

}  // namespace

extern "C" {

const char* tusk_version(void) { return tusk::version(); }
const char* tusk_last_error(void) { return last_error.c_str(); }

tusk_options* tusk_options_new(void) { return new (std::nothrow) tusk_options{}; }
void tusk_options_free(tusk_options* options) { delete options; }
void tusk_options_set_stdlib_dir(tusk_options* o, const char* dir) {
  if (o != nullptr) o->options.stdlib_dir = dir != nullptr ? dir : "";
}
void tusk_options_set_backend(tusk_options* o, tusk_backend backend) {
  if (o == nullptr) return;
  o->options.backend = backend == TUSK_BACKEND_JIT      ? tusk::Backend::kJit
                       : backend == TUSK_BACKEND_INTERP ? tusk::Backend::kInterp
                                                        : tusk::Backend::kAuto;
}
void tusk_options_allow(tusk_options* o, const char* warning) {
  if (o != nullptr && warning != nullptr) o->options.allow.emplace_back(warning);
}
void tusk_options_set_max_record_bytes(tusk_options* o, size_t n) {
  if (o != nullptr) o->options.limits.max_record_bytes = n;
}
void tusk_options_set_max_field_bytes(tusk_options* o, size_t n) {
  if (o != nullptr) o->options.limits.max_field_bytes = n;
}
void tusk_options_set_max_matches_per_pattern(tusk_options* o, size_t n) {
  if (o != nullptr) o->options.limits.max_matches_per_pattern = n;
}
void tusk_options_set_max_terms_per_pack(tusk_options* o, size_t n) {
  if (o != nullptr) o->options.limits.max_terms_per_pack = n;
}
void tusk_options_set_work_budget(tusk_options* o, uint64_t units) {
  if (o != nullptr) o->options.limits.work_budget = units;
}
void tusk_options_set_on_budget(tusk_options* o, tusk_on_budget choice) {
  if (o != nullptr) {
    o->options.limits.on_budget =
        choice == TUSK_FAIL_CLOSED ? tusk::OnBudget::kFailClosed : tusk::OnBudget::kFailOpen;
  }
}

void tusk_options_set_use_cache(tusk_options* o, int use_cache) {
  if (o != nullptr) o->options.use_cache = use_cache != 0;
}
void tusk_options_set_cache_dir(tusk_options* o, const char* dir) {
  if (o != nullptr) o->options.cache_dir = dir != nullptr ? dir : "";
}

tusk_status tusk_pack_compile(const char* path, const tusk_options* options, tusk_pack** pack,
                              tusk_diagnostics** diagnostics) {
  if (diagnostics != nullptr) *diagnostics = nullptr;
  if (pack == nullptr || path == nullptr) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_pack_compile: null argument");
  }
  *pack = nullptr;
  return guarded(
      [&] { return finish_compile(tusk::Pack::compile(path, options_of(options)), pack, diagnostics); });
}

tusk_status tusk_pack_compile_files(const char* const* paths, size_t count, const tusk_options* options,
                                    tusk_pack** pack, tusk_diagnostics** diagnostics) {
  if (diagnostics != nullptr) *diagnostics = nullptr;
  if (pack == nullptr || (count > 0 && paths == nullptr)) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_pack_compile_files: null argument");
  }
  *pack = nullptr;
  return guarded([&] {
    std::vector<std::string> files;
    for (size_t i = 0; i < count; ++i) {
      if (paths[i] == nullptr) return fail(TUSK_ERROR_INVALID_ARGUMENT, "null path");
      files.emplace_back(paths[i]);
    }
    return finish_compile(tusk::Pack::compile_files(files, options_of(options)), pack, diagnostics);
  });
}

tusk_status tusk_pack_compile_sources(const char* const* paths, const char* const* texts, size_t count,
                                      const char* main, const tusk_options* options, tusk_pack** pack,
                                      tusk_diagnostics** diagnostics) {
  if (diagnostics != nullptr) *diagnostics = nullptr;
  if (pack == nullptr || (count > 0 && (paths == nullptr || texts == nullptr))) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_pack_compile_sources: null argument");
  }
  *pack = nullptr;
  return guarded([&] {
    std::map<std::string, std::string> files;
    for (size_t i = 0; i < count; ++i) {
      if (paths[i] == nullptr || texts[i] == nullptr) {
        return fail(TUSK_ERROR_INVALID_ARGUMENT, "null path or text");
      }
      files[paths[i]] = texts[i];
    }
    return finish_compile(
        tusk::Pack::compile_sources(files, main != nullptr ? main : "", options_of(options)), pack,
        diagnostics);
  });
}

void tusk_pack_free(tusk_pack* pack) { delete pack; }
const char* tusk_pack_name(const tusk_pack* p) { return p != nullptr ? p->pack->info().name.c_str() : ""; }
const char* tusk_pack_version(const tusk_pack* p) {
  return p != nullptr ? p->pack->info().version.c_str() : "";
}
const char* tusk_pack_digest(const tusk_pack* p) {
  return p != nullptr ? p->pack->info().digest.c_str() : "";
}

size_t tusk_diagnostics_count(const tusk_diagnostics* d) { return d != nullptr ? d->items.size() : 0; }
const char* tusk_diagnostic_code(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->code.c_str() : nullptr;
}
const char* tusk_diagnostic_severity(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->severity.c_str() : nullptr;
}
const char* tusk_diagnostic_message(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->message.c_str() : nullptr;
}
const char* tusk_diagnostic_file(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->file.c_str() : nullptr;
}
uint32_t tusk_diagnostic_line(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->line : 0;
}
uint32_t tusk_diagnostic_column(const tusk_diagnostics* d, size_t i) {
  const auto* x = diag(d, i);
  return x != nullptr ? x->column : 0;
}
const char* tusk_diagnostics_rendered(const tusk_diagnostics* d) {
  return d != nullptr ? d->rendered.c_str() : "";
}
void tusk_diagnostics_free(tusk_diagnostics* d) { delete d; }

tusk_scanner* tusk_scanner_new(const tusk_pack* pack) {
  if (pack == nullptr) {
    fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_scanner_new: null pack");
    return nullptr;
  }
  tusk_scanner* s = nullptr;
  guarded([&] {
    auto made = std::make_unique<tusk_scanner>();
    made->own = std::make_unique<tusk::Scanner>(pack->pack);
    s = made.release();
    return TUSK_OK;
  });
  return s;
}
void tusk_scanner_free(tusk_scanner* scanner) { delete scanner; }

tusk_status tusk_scan_json(tusk_scanner* s, const char* json, size_t size, const tusk_verdict** verdict) {
  if (s == nullptr || (json == nullptr && size > 0)) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_scan_json: null argument");
  }
  return guarded([&] {
    // The scanner an unfinished field-by-field listing was pinned to may be replaced below
    // (an engine swap since begin), and the JSON reuses its record anyway: the listing is
    // dropped, and the setters then ask for tusk_scanner_begin (tusk.h).
    s->building = nullptr;
    s->current().scan(std::string_view(json != nullptr ? json : "", size), s->verdict.verdict);
    return scanned(s, verdict);
  });
}

tusk_status tusk_scanner_begin(tusk_scanner* s, const char* id) {
  if (s == nullptr) return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_scanner_begin: null scanner");
  return guarded([&] {
    s->building = &s->current();
    s->building->begin(id != nullptr ? id : "");
    return TUSK_OK;
  });
}

tusk_status tusk_scanner_set_text(tusk_scanner* s, const char* field, const char* text, size_t size) {
  if (s == nullptr || field == nullptr || (text == nullptr && size > 0)) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "null argument");
  }
  return guarded([&] {
    return setter_result(
        s->building != nullptr &&
            s->building->set_text(field, std::string_view(text != nullptr ? text : "", size)),
        field);
  });
}
tusk_status tusk_scanner_set_number(tusk_scanner* s, const char* field, double value) {
  if (s == nullptr || field == nullptr) return fail(TUSK_ERROR_INVALID_ARGUMENT, "null argument");
  return guarded(
      [&] { return setter_result(s->building != nullptr && s->building->set_number(field, value), field); });
}
tusk_status tusk_scanner_set_money(tusk_scanner* s, const char* field, double amount, const char* currency) {
  if (s == nullptr || field == nullptr) return fail(TUSK_ERROR_INVALID_ARGUMENT, "null argument");
  return guarded([&] {
    return setter_result(
        s->building != nullptr && s->building->set_money(field, amount, currency != nullptr ? currency : ""),
        field);
  });
}
tusk_status tusk_scanner_add_element(tusk_scanner* s, const char* field, const char* text, size_t size) {
  if (s == nullptr || field == nullptr || (text == nullptr && size > 0)) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "null argument");
  }
  return guarded([&] {
    return setter_result(
        s->building != nullptr &&
            s->building->add_element(field, std::string_view(text != nullptr ? text : "", size)),
        field);
  });
}
tusk_status tusk_scanner_scan(tusk_scanner* s, const tusk_verdict** verdict) {
  if (s == nullptr) return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_scanner_scan: null scanner");
  if (s->building == nullptr) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_scanner_scan: call tusk_scanner_begin first");
  }
  return guarded([&] {
    s->building->scan_listing(s->verdict.verdict);
    s->building = nullptr;
    return scanned(s, verdict);
  });
}

int tusk_verdict_ok(const tusk_verdict* v) { return v != nullptr && v->verdict.ok ? 1 : 0; }
const char* tusk_verdict_error(const tusk_verdict* v) { return v != nullptr ? v->verdict.error.c_str() : ""; }
const char* tusk_verdict_id(const tusk_verdict* v) { return v != nullptr ? v->verdict.id.c_str() : ""; }
tusk_action tusk_verdict_action(const tusk_verdict* v) {
  return v != nullptr ? static_cast<tusk_action>(v->verdict.action) : TUSK_ALLOW;
}
double tusk_verdict_score(const tusk_verdict* v) { return v != nullptr ? v->verdict.score : 0; }
size_t tusk_verdict_fired_count(const tusk_verdict* v) { return v != nullptr ? v->verdict.fired.size() : 0; }
const char* tusk_verdict_fired_rule(const tusk_verdict* v, size_t i) {
  return v != nullptr && i < v->verdict.fired.size() ? v->verdict.fired[i].rule.c_str() : nullptr;
}
size_t tusk_verdict_notes_count(const tusk_verdict* v) { return v != nullptr ? v->verdict.notes.size() : 0; }
const char* tusk_verdict_note(const tusk_verdict* v, size_t i) {
  return v != nullptr && i < v->verdict.notes.size() ? v->verdict.notes[i].c_str() : nullptr;
}
const char* tusk_verdict_pack_digest(const tusk_verdict* v) {
  return v != nullptr ? v->verdict.pack.digest.c_str() : "";
}
const char* tusk_verdict_json(const tusk_verdict* v, size_t* size) {
  if (v == nullptr) {
    if (size != nullptr) *size = 0;
    return "";
  }
  // Rendered on first request only: most callers read the fields and never the JSON.
  auto* mv = const_cast<tusk_verdict*>(v);
  if (!mv->json_ready) {
    mv->json.clear();
    tusk::append_json(mv->json, mv->verdict);
    mv->json_ready = true;
  }
  if (size != nullptr) *size = mv->json.size();
  return mv->json.c_str();
}

tusk_engine* tusk_engine_new(const tusk_pack* pack) {
  if (pack == nullptr) {
    fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_engine_new: null pack");
    return nullptr;
  }
  tusk_engine* e = nullptr;
  guarded([&] {
    e = new tusk_engine{std::make_unique<tusk::Engine>(pack->pack)};
    return TUSK_OK;
  });
  return e;
}
void tusk_engine_free(tusk_engine* engine) { delete engine; }

tusk_status tusk_engine_reload(tusk_engine* engine, const char* path, const tusk_options* options,
                               tusk_diagnostics** diagnostics) {
  if (diagnostics != nullptr) *diagnostics = nullptr;
  if (engine == nullptr || path == nullptr) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_engine_reload: null argument");
  }
  return guarded([&] {
    tusk_pack* pack = nullptr;
    const tusk_status st = finish_compile(tusk::Pack::compile(path, options_of(options)), &pack, diagnostics);
    if (st != TUSK_OK) return st;
    engine->engine->swap(pack->pack);
    delete pack;
    return TUSK_OK;
  });
}

tusk_status tusk_engine_swap(tusk_engine* engine, const tusk_pack* pack) {
  if (engine == nullptr || pack == nullptr) {
    return fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_engine_swap: null argument");
  }
  return guarded([&] {
    engine->engine->swap(pack->pack);
    return TUSK_OK;
  });
}

tusk_scanner* tusk_engine_scanner_new(tusk_engine* engine) {
  if (engine == nullptr) {
    fail(TUSK_ERROR_INVALID_ARGUMENT, "tusk_engine_scanner_new: null engine");
    return nullptr;
  }
  tusk_scanner* s = nullptr;
  guarded([&] {
    auto made = std::make_unique<tusk_scanner>();
    made->follower = std::make_unique<tusk::EngineScanner>(*engine->engine);
    s = made.release();
    return TUSK_OK;
  });
  return s;
}

}  // extern "C"
