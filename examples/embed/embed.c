/* Embedding Tusk from C (the same calls serve Go, Python, Java and Rust bindings).
 * Usage: embed_c PACK_DIR < listings.jsonl > verdicts.jsonl */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tusk/tusk.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: embed_c PACK_DIR < listings.jsonl\n");
    return 2;
  }
  tusk_pack* pack = NULL;
  tusk_diagnostics* diags = NULL;
  if (tusk_pack_compile(argv[1], NULL, &pack, &diags) != TUSK_OK) {
    fprintf(stderr, "%s%s\n", tusk_diagnostics_rendered(diags), tusk_last_error());
    tusk_diagnostics_free(diags);
    return 1;
  }
  tusk_diagnostics_free(diags);
  fprintf(stderr, "tusk %s, pack %s %s\n", tusk_version(), tusk_pack_name(pack), tusk_pack_version(pack));

  tusk_scanner* scanner = tusk_scanner_new(pack);
  char line[1 << 16];
  size_t flagged = 0, total = 0;
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    const tusk_verdict* v = NULL;
    if (tusk_scan_json(scanner, line, n, &v) != TUSK_OK) {
      fprintf(stderr, "scan failed: %s\n", tusk_last_error());
      return 1;
    }
    ++total;
    if (tusk_verdict_ok(v) && tusk_verdict_action(v) != TUSK_ALLOW) ++flagged;
    puts(tusk_verdict_json(v, NULL));
  }

  /* A listing field by field. */
  const tusk_verdict* v = NULL;
  tusk_scanner_begin(scanner, "built-1");
  tusk_scanner_set_text(scanner, "title", "Carved white plastic bangle", strlen("Carved white plastic bangle"));
  tusk_scanner_set_text(scanner, "category", "antiques", strlen("antiques"));
  tusk_scanner_set_money(scanner, "price", 320, "USD");
  if (tusk_scanner_scan(scanner, &v) != TUSK_OK) {
    fprintf(stderr, "scan failed: %s\n", tusk_last_error());
    return 1;
  }
  puts(tusk_verdict_json(v, NULL));
  fprintf(stderr, "flagged %zu of %zu listings\n", flagged, total);

  tusk_scanner_free(scanner);
  tusk_pack_free(pack);
  return 0;
}
