// Finding `tusk` and the messages shown when the language server cannot start.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { RestartPolicy, hasLspCommand, notFoundMessage, resolveTusk, serverEnv, startFailureMessage } from "../server";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "tusk-vscode-"));
}

function script(dir: string, name: string, body: string, mode = 0o755): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode });
  return file;
}

test("a bare name is looked up on PATH, in PATH order", () => {
  const a = tempDir();
  const b = tempDir();
  const inB = script(b, "tusk", "exit 0");
  assert.equal(resolveTusk("tusk", { env: { PATH: [a, b].join(path.delimiter) } }), inB);
  const inA = script(a, "tusk", "exit 0");
  assert.equal(resolveTusk("tusk", { env: { PATH: [a, b].join(path.delimiter) } }), inA);
  assert.equal(resolveTusk("", { env: { PATH: a } }), inA, "an empty setting means `tusk`");
});

test("a file that is not executable, or a directory, is not the program", () => {
  const d = tempDir();
  script(d, "tusk", "exit 0", 0o644);
  fs.mkdirSync(path.join(d, "sub", "tusk"), { recursive: true });
  assert.equal(resolveTusk("tusk", { env: { PATH: d } }), undefined);
  assert.equal(resolveTusk(path.join(d, "tusk"), { env: {} }), undefined);
  assert.equal(resolveTusk("tusk", { env: { PATH: path.join(d, "sub") } }), undefined);
});

test("a relative path starts at the workspace folder; an absolute one is taken as it is", () => {
  const ws = tempDir();
  const built = script(ws, "build/bin/tusk", "exit 0");
  assert.equal(resolveTusk("build/bin/tusk", { workspaceFolder: ws, env: {} }), built);
  assert.equal(resolveTusk("build/bin/tusk", { workspaceFolder: tempDir(), env: {} }), undefined);
  assert.equal(resolveTusk(built, { env: { PATH: "" } }), built);
  assert.equal(resolveTusk("~/bin/tusk", { env: { HOME: ws } }), undefined);
  const home = script(ws, "bin/tusk", "exit 0");
  assert.equal(resolveTusk("~/bin/tusk", { env: { HOME: ws } }), home);
});

test("tusk.stdlib becomes TUSK_STDLIB, relative to the workspace folder", () => {
  assert.equal(serverEnv({ A: "1" }, "stdlib", "/ws").TUSK_STDLIB, path.resolve("/ws/stdlib"));
  assert.equal(serverEnv({ A: "1" }, "/abs/lib", "/ws").TUSK_STDLIB, "/abs/lib");
  const kept = serverEnv({ TUSK_STDLIB: "/from/env" }, "  ", "/ws");
  assert.equal(kept.TUSK_STDLIB, "/from/env", "an empty setting keeps the environment's value");
});

test("the messages name the setting and the fix", () => {
  assert.match(notFoundMessage("tusk"), /`tusk` is not on PATH/);
  assert.match(notFoundMessage("build/bin/tusk"), /`build\/bin\/tusk` does not exist or is not executable/);
  assert.match(notFoundMessage(undefined), /tusk\.path/);
  assert.match(startFailureMessage("/x/tusk", false), /no `lsp` command/);
  assert.match(startFailureMessage("/x/tusk", true, "closed"), /`\/x\/tusk lsp` did not start: closed/);
});

test("hasLspCommand reads the command list of `tusk --help`", () => {
  const d = tempDir();
  const old = script(d, "old", "printf 'Subcommands:\\n  check   Parse and check a pack.\\n  lint-like  x\\n'");
  const fresh = script(d, "new", "printf 'Subcommands:\\n  check   Parse and check a pack.\\n  lsp     The language server.\\n'");
  assert.equal(hasLspCommand(old, process.env), false);
  assert.equal(hasLspCommand(fresh, process.env), true);
  assert.equal(hasLspCommand(path.join(d, "absent"), process.env), undefined);
});

test("a server that never initialized is not restarted; a running one a few times", () => {
  const p = new RestartPolicy(3, 1000);
  assert.equal(p.shouldRestart(false, 0), false);
  assert.deepEqual([1, 2, 3, 4].map((t) => p.shouldRestart(true, t)), [true, true, true, false]);
  assert.equal(p.shouldRestart(true, 5000), true, "old stops fall out of the window");
});
