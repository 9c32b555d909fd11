// Builds against the installed headers and libtusk.so only. Uses the installed stdlib (no
// stdlib_dir given), a pack from strings and one from disk; exits non-zero on any surprise.
#include <cstdio>
#include <string>

#include <tusk/engine.h>
#include <tusk/pack.h>
#include <tusk/scanner.h>
#include <tusk/version.h>

int main(int argc, char** argv) {
  const char* source = R"(pack consumer.demo version "1"
use std.alternatives
lexicon ivory_names { "ivory" }
rule mentions_ivory { when text mentions ivory_names  score 50 }
decide { review when mentions_ivory  allow otherwise }
suggest std.alternatives.tagua_carving when mentions_ivory
)";
  tusk::CompileResult r = tusk::Pack::compile_sources({{"main.tusk", source}}, "main.tusk");
  if (!r.pack) {
    std::fprintf(stderr, "compile failed:\n%s", r.rendered.c_str());
    return 1;
  }
  tusk::Scanner scanner(r.pack);
  tusk::Verdict v = scanner.scan(R"({"id":"1","title":"ivory netsuke"})");
  std::printf("%s\n", tusk::to_json(v).c_str());
  if (!v.ok || v.action != tusk::Action::kReview || v.suggestions.empty()) return 1;
  if (argc > 1) {  // a pack directory from disk, through the Engine
    tusk::CompileResult disk = tusk::Pack::compile(argv[1]);
    if (!disk.pack) {
      std::fprintf(stderr, "%s", disk.rendered.c_str());
      return 1;
    }
    tusk::Engine engine(r.pack);
    engine.swap(disk.pack);
    tusk::EngineScanner es(engine);
    if (es.scan(R"({"title":"x"})").pack.digest != disk.pack->info().digest) return 1;
  }
  std::printf("consumer ok: tusk %s\n", tusk::version());
  return 0;
}
