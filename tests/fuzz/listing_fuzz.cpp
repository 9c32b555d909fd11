// libFuzzer: any bytes as one listing line, through decode -> normalize -> scan -> evaluate
// with the fixed wildlife example pack. Every input must give exactly one verdict (an error
// one is fine), with evidence spans inside the text they quote, rendering as one JSON line;
// and filling the same listing field by field must not crash either.
//   cmake --build build-fuzz --target tusk_listing_fuzz
//   build-fuzz/bin/tusk_listing_fuzz corpus/ tests/fuzz/seeds/listing -max_total_time=600
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace {

tusk::Scanner& scanner() {
  static tusk::Scanner* s = [] {
    tusk::CompileOptions options;
    options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    options.backend = tusk::Backend::kInterp;  // the reference; backend_fuzz compares the JIT with it
    tusk::CompileResult r =
        tusk::Pack::compile(std::string(TUSK_SOURCE_DIR) + "/examples/packs/wildlife", options);
    if (!r.pack) {
      std::fprintf(stderr, "the wildlife pack does not compile:\n%s", r.rendered.c_str());
      std::abort();
    }
    return new tusk::Scanner(r.pack);
  }();
  return *s;
}

void check(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "listing_fuzz: %s for input of %zu bytes\n", what, input.size());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  tusk::Scanner& s = scanner();
  tusk::Verdict v;
  s.scan(input, v);
  check(v.ok || !v.error.empty(), "an error verdict without a message", input);
  const std::string json = tusk::to_json(v);
  check(!json.empty() && json.front() == '{' && json.back() == '}', "verdict JSON is not an object", input);
  check(json.find('\n') == std::string::npos, "verdict JSON spans lines", input);
  for (const auto& f : v.fired) {
    for (const auto& e : f.evidence) {
      check(e.start <= e.end && e.text.size() == e.end - e.start, "evidence span does not match its text",
            input);
    }
  }
  // The field-by-field path with the same bytes as every kind of value.
  const std::size_t half = size / 2;
  s.begin(input.substr(0, half));
  s.set_text("title", input.substr(0, half));
  s.set_text("description", input.substr(half));
  s.add_element("tags", input.substr(half));
  s.add_element("tags", input);
  s.set_money("price", static_cast<double>(size) - 100.0, input.substr(0, std::min<std::size_t>(size, 3)));
  tusk::Verdict built = s.scan_listing();
  check(built.ok, "a built listing failed", input);
  return 0;
}
