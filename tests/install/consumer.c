/* The C API through pkg-config (tusk.pc), with the installed stdlib. */
#include <stdio.h>
#include <string.h>

#include <tusk/tusk.h>

int main(void) {
  const char* paths[] = {"main.tusk"};
  const char* texts[] = {"pack pc.demo version \"1\"\nlexicon w { \"rhino horn\" }\n"
                         "rule r { when text mentions w  score 50 }\ndecide { review when r  allow otherwise }\n"};
  tusk_pack* pack = NULL;
  if (tusk_pack_compile_sources(paths, texts, 1, "main.tusk", NULL, &pack, NULL) != TUSK_OK) {
    fprintf(stderr, "compile failed: %s\n", tusk_last_error());
    return 1;
  }
  tusk_scanner* s = tusk_scanner_new(pack);
  const tusk_verdict* v = NULL;
  const char* json = "{\"title\":\"Rhino horn bowl\"}";
  if (tusk_scan_json(s, json, strlen(json), &v) != TUSK_OK || tusk_verdict_action(v) != TUSK_REVIEW) return 1;
  printf("%s\nconsumer_pc ok\n", tusk_verdict_json(v, NULL));
  tusk_scanner_free(s);
  tusk_pack_free(pack);
  return 0;
}
