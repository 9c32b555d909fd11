// Tokenizes every .tusk file of the repository's packs and standard library with the grammar
// and fails when one of them gets an `invalid` scope, leaves a non-blank token without a scope
// of its own, or loses track of the declarations (a top-level keyword at the start of a line
// that is not tokenized as a top-level declaration: a block the grammar failed to close).
// Usage: node scripts/check-packs.js [ROOT] (ROOT: the repository, default ../..).
"use strict";
const fs = require("fs");
const path = require("path");
const { loadGrammar, tokenize } = require("./tokenize");

const root = path.resolve(process.argv[2] || path.join(__dirname, "..", "..", ".."));
const dirs = ["examples", "stdlib", "tests/golden/fmt", "tests/golden/workflow", "tests/golden/parse"];
// Parser goldens of lexical errors: the grammar must mark the place the parser reports.
const LEXICAL = /^error\[(E003|E004|E006|E007)\]/;
const DECL = /^(pack|module|use|lexicon|regex|rule|decide|suggest|alternative|test)\b/;

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".tusk")) out.push(p);
  }
  return out;
}

loadGrammar().then((grammar) => {
  const files = dirs.flatMap((d) => walk(path.join(root, d), [])).sort();
  const problems = [];
  let tokens = 0;
  let checkedErrors = 0;
  for (const file of files) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, "utf8");
    const lines = text.split(/\r?\n/);
    const toks = tokenize(grammar, text);
    const diag = file.replace(/\.tusk$/, ".diag");
    if (fs.existsSync(diag)) {
      // An error golden: skip the clean-file checks; for a lexical error, the token under the
      // parser's first caret must be invalid.
      const d = fs.readFileSync(diag, "utf8");
      const m = d.match(/-->\s+\S+?:(\d+):(\d+)/);
      if (LEXICAL.test(d) && m) {
        const line = +m[1], col = +m[2] - 1;
        // Columns count code points; these goldens are ASCII up to the error.
        const t = toks.find((x) => x.line === line && x.startIndex <= col && col < x.endIndex);
        if (!t || !t.scopes.some((s) => s.startsWith("invalid"))) {
          problems.push(`${rel}:${line}:${col + 1}: the parser reports ${d.split("\n")[0]} here, the grammar marks ${t ? t.scopes.join(" ") : "nothing"}`);
        }
        checkedErrors++;
      }
      continue;
    }
    for (const t of toks) {
      tokens++;
      const where = `${rel}:${t.line}:${t.startIndex + 1}`;
      const invalid = t.scopes.find((s) => s.startsWith("invalid"));
      if (invalid) problems.push(`${where}: ${JSON.stringify(t.text)} is ${invalid}`);
      if (t.scopes.length === 1 && t.text.trim() !== "") problems.push(`${where}: ${JSON.stringify(t.text)} has no scope`);
      if (t.startIndex === 0 && DECL.test(lines[t.line - 1]) && DECL.test(t.text)) {
        const inner = t.scopes.slice(1).filter((s) => !s.startsWith("meta.declaration."));
        if (inner.length !== 1) problems.push(`${where}: declaration keyword ${JSON.stringify(t.text)} nested in ${t.scopes.join(" ")}`);
      }
    }
  }
  for (const p of problems) console.log(p);
  if (checkedErrors < 4) problems.push(`only ${checkedErrors} lexical-error goldens checked`);
  if (files.length < 20) problems.push(`only ${files.length} .tusk files found under ${root}`);
  const ok = problems.length === 0;
  console.log(`${files.length} files, ${tokens} tokens, ${checkedErrors} lexical-error goldens: ${problems.length} problems`);
  console.log(`${ok ? files.length : files.length - new Set(problems.map((p) => p.split(":")[0])).size} passed, ${ok ? 0 : new Set(problems.map((p) => p.split(":")[0])).size} failed`);
  process.exit(ok ? 0 : 1);
}).catch((e) => { console.error(e); process.exit(2); });
