// Tokenizes .tusk files with the extension's TextMate grammar through vscode-textmate and
// vscode-oniguruma, the engine VS Code itself uses.
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const grammarPath = path.join(__dirname, "..", "syntaxes", "tusk.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.tusk" ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  return registry.loadGrammar("source.tusk");
}

// Every token of every line: {line, startIndex, endIndex, text, scopes}.
function tokenize(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      out.push({ line: i + 1, startIndex: t.startIndex, endIndex: t.endIndex, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

module.exports = { loadGrammar, tokenize };

if (require.main === module) {
  loadGrammar().then((g) => {
    for (const f of process.argv.slice(2)) {
      for (const t of tokenize(g, fs.readFileSync(f, "utf8"))) {
        if (t.text.trim() === "") continue;
        console.log(`${f}:${t.line}:${t.startIndex + 1} ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(" ")}`);
      }
    }
  });
}
