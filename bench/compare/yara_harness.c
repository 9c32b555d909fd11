/* The YARA evaluator: the comparison rules compiled by libyara (one YARA rule per Tusk rule,
 * `nocase` text strings, `fullword` for whole-word terms, the shared context lexicons as private
 * rules), and yr_rules_scan_mem over each record's text (title, description and tags joined by
 * newlines) with the external variable `category` set per record. The harness adds the `score`
 * meta of the matching rules and applies the decide thresholds of the spec.
 *
 *   yara_harness RULES.yar SPEC.tsv CORPUS.jsonl RESULTS.tsv
 *
 * JSON is read by a small decoder for this corpus's shape (an object of strings, numbers, arrays
 * and objects), written here so the harness stays in C: a record's fields are copied out once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yara.h>

typedef struct {
  char* p;
  size_t n, cap;
} Buf;

static void buf_put(Buf* b, const char* s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}
static void buf_putc(Buf* b, char c) { buf_put(b, &c, 1); }

static void put_utf8(Buf* b, uint32_t cp) {
  char t[4];
  if (cp < 0x80) {
    t[0] = (char)cp;
    buf_put(b, t, 1);
  } else if (cp < 0x800) {
    t[0] = (char)(0xC0 | (cp >> 6)), t[1] = (char)(0x80 | (cp & 63));
    buf_put(b, t, 2);
  } else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12)), t[1] = (char)(0x80 | ((cp >> 6) & 63)), t[2] = (char)(0x80 | (cp & 63));
    buf_put(b, t, 3);
  } else {
    t[0] = (char)(0xF0 | (cp >> 18)), t[1] = (char)(0x80 | ((cp >> 12) & 63));
    t[2] = (char)(0x80 | ((cp >> 6) & 63)), t[3] = (char)(0x80 | (cp & 63));
    buf_put(b, t, 4);
  }
}

static const char* ws(const char* p, const char* e) {
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  return p;
}

static uint32_t hex4(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = p[i];
    v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
  }
  return v;
}

/* Parses a string at p (on the quote) into out (if not NULL); returns the position after it. */
static const char* str(const char* p, const char* e, Buf* out) {
  ++p;
  while (p < e && *p != '"') {
    const char* run = p;
    while (p < e && *p != '"' && *p != '\\') ++p;
    if (out) buf_put(out, run, (size_t)(p - run));
    if (p < e && *p == '\\') {
      char c = p[1];
      p += 2;
      char lit = (char)(c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c);
      if (c == 'u' && p + 4 <= e) {
        uint32_t cp = hex4(p);
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= e && p[0] == '\\' && p[1] == 'u') {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(p + 2) - 0xDC00);
          p += 6;
        }
        if (out) put_utf8(out, cp);
      } else if (out) {
        buf_putc(out, lit);
      }
    }
  }
  return p + 1;
}

static const char* skip(const char* p, const char* e) {
  p = ws(p, e);
  if (p >= e) return e;
  if (*p == '"') return str(p, e, NULL);
  if (*p == '{' || *p == '[') {
    char close = *p == '{' ? '}' : ']';
    p = ws(p + 1, e);
    while (p < e && *p != close) {
      p = skip(p, e);
      p = ws(p, e);
      if (p < e && (*p == ',' || *p == ':')) p = ws(p + 1, e);
    }
    return p + 1;
  }
  while (p < e && *p != ',' && *p != '}' && *p != ']') ++p;
  return p;
}

typedef struct {
  Buf id, category, title, desc, tags, key, text;
} Record;

static int decode(const char* p, const char* e, Record* r) {
  r->id.n = r->category.n = r->title.n = r->desc.n = r->tags.n = 0;
  p = ws(p, e);
  if (p >= e || *p != '{') return 0;
  p = ws(p + 1, e);
  while (p < e && *p == '"') {
    r->key.n = 0;
    p = ws(str(p, e, &r->key), e);
    if (p >= e || *p != ':') return 0;
    p = ws(p + 1, e);
    Buf* target = NULL;
    buf_putc(&r->key, 0);
    const char* k = r->key.p;
    if (!strcmp(k, "id")) { target = &r->id;
    } else if (!strcmp(k, "title")) { target = &r->title;
    } else if (!strcmp(k, "description")) { target = &r->desc;
    } else if (!strcmp(k, "category")) { target = &r->category;
}
    if (target && *p == '"') {
      p = str(p, e, target);
    } else if (!strcmp(k, "tags") && *p == '[') {
      p = ws(p + 1, e);
      while (p < e && *p != ']') {
        if (*p == '"') {
          buf_putc(&r->tags, '\n');
          p = str(p, e, &r->tags);
        } else {
          p = skip(p, e);
        }
        p = ws(p, e);
        if (p < e && *p == ',') p = ws(p + 1, e);
      }
      ++p;
    } else {
      p = skip(p, e);
    }
    p = ws(p, e);
    if (p < e && *p == ',') p = ws(p + 1, e);
  }
  return p < e && *p == '}';
}

typedef struct {
  int score;
  Buf* fired;
} Scan;

static int on_rule(YR_SCAN_CONTEXT* ctx, int message, void* data, void* user) {
  (void)ctx;
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  YR_RULE* rule = (YR_RULE*)data;
  Scan* s = (Scan*)user;
  YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    if (!strcmp(meta->identifier, "score")) s->score += (int)meta->integer;
  }
  if (s->fired->n) buf_putc(s->fired, ',');
  buf_put(s->fired, rule->identifier, strlen(rule->identifier));
  return CALLBACK_CONTINUE;
}

static void on_compile_error(int level, const char* file, int line, const YR_RULE* rule, const char* msg, void* u) {
  (void)rule, (void)u;
  if (level == YARA_ERROR_LEVEL_ERROR) fprintf(stderr, "%s:%d: %s\n", file ? file : "?", line, msg);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: yara_harness RULES.yar SPEC.tsv CORPUS.jsonl RESULTS.tsv\n");
    return 2;
  }
  const double setup_start = now();
  int block = 80, review = 40;
  FILE* spec = fopen(argv[2], "r");
  char line[4096];
  while (spec && fgets(line, sizeof line, spec)) {
    if (!strncmp(line, "decide\t", 7)) sscanf(line + 7, "%d\t%d", &block, &review);
  }
  if (spec) fclose(spec);

  yr_initialize();
  YR_COMPILER* compiler = NULL;
  yr_compiler_create(&compiler);
  yr_compiler_set_callback(compiler, on_compile_error, NULL);
  yr_compiler_define_string_variable(compiler, "category", "");
  FILE* rf = fopen(argv[1], "r");
  if (!rf || yr_compiler_add_file(compiler, rf, NULL, argv[1]) != 0) {
    fprintf(stderr, "yara: cannot compile %s\n", argv[1]);
    return 1;
  }
  fclose(rf);
  YR_RULES* rules = NULL;
  yr_compiler_get_rules(compiler, &rules);
  yr_compiler_destroy(compiler);

  FILE* in = fopen(argv[3], "rb");
  if (!in) {
    fprintf(stderr, "cannot read %s\n", argv[3]);
    return 2;
  }
  fseek(in, 0, SEEK_END);
  long size = ftell(in);
  fseek(in, 0, SEEK_SET);
  char* data = malloc((size_t)size + 1);
  if (fread(data, 1, (size_t)size, in) != (size_t)size) return 2;
  fclose(in);
  const double setup = now() - setup_start;

  Record r;
  memset(&r, 0, sizeof r);
  Buf results = {0}, fired = {0};
  size_t records = 0, bad = 0;
  const double start = now();
  for (char* p = data; p < data + size;) {
    char* e = memchr(p, '\n', (size_t)(data + size - p));
    if (!e) e = data + size;
    ++records;
    if (!decode(p, e, &r)) {
      ++bad;
      p = e + 1;
      continue;
    }
    r.text.n = 0;
    buf_put(&r.text, r.title.p ? r.title.p : "", r.title.n);
    buf_putc(&r.text, '\n');
    buf_put(&r.text, r.desc.p ? r.desc.p : "", r.desc.n);
    buf_put(&r.text, r.tags.p ? r.tags.p : "", r.tags.n);
    buf_putc(&r.category, 0);
    r.category.n--;
    yr_rules_define_string_variable(rules, "category", r.category.p);
    fired.n = 0;
    Scan s = {0, &fired};
    yr_rules_scan_mem(rules, (const uint8_t*)r.text.p, r.text.n, 0, on_rule, &s, 0);
    const char* action = s.score >= block ? "block" : s.score >= review ? "review" : "allow";
    buf_put(&results, r.id.p ? r.id.p : "", r.id.n);
    buf_putc(&results, '\t');
    buf_put(&results, action, strlen(action));
    buf_putc(&results, '\t');
    buf_put(&results, fired.p ? fired.p : "", fired.n);
    buf_putc(&results, '\n');
    p = e + 1;
  }
  const double secs = now() - start;
  FILE* out = fopen(argv[4], "wb");
  fwrite(results.p, 1, results.n, out);
  fclose(out);
  fprintf(stderr, "yara_harness: %zu unreadable lines\n", bad);
  printf("RESULT yara records=%zu bytes=%ld seconds=%.6f setup=%.6f mbps=%.2f rps=%.0f\n", records, size, secs, setup,
         (double)size / 1e6 / secs, (double)records / secs);
  yr_rules_destroy(rules);
  yr_finalize();
  return 0;
}
