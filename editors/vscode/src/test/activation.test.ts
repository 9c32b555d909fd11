// The compiled extension activated against stand-ins for the `vscode` API and the language
// client (a real VS Code cannot be downloaded here; docs/editors.md). What is checked is the
// extension's own logic: which program it starts, with which arguments and documents, and what
// the user is told when that program is missing or has no `lsp` command.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require("node:module");

interface FakeState {
  settings: Record<string, string>;
  errors: string[];
  clients: FakeClient[];
  startFails: boolean;
  folder: string;
}

class FakeClient {
  started = false;
  stopped = false;
  disposed = false;
  constructor(
    public id: string,
    public name: string,
    public serverOptions: any,
    public clientOptions: any,
  ) {
    state.clients.push(this);
  }
  async start() {
    if (state.startFails) throw new Error("Connection to server got closed.");
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
  async dispose() {
    this.disposed = true;
  }
}

const state: FakeState = { settings: {}, errors: [], clients: [], startFails: false, folder: "" };

const vscodeStub = {
  window: {
    createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
    showErrorMessage: async (m: string) => {
      state.errors.push(m);
      return undefined;
    },
  },
  workspace: {
    get workspaceFolders() {
      return [{ uri: { fsPath: state.folder } }];
    },
    getConfiguration: () => ({ get: (k: string, d: string) => state.settings[k] ?? d }),
    createFileSystemWatcher: (glob: string) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  commands: {
    registered: [] as string[],
    registerCommand(name: string) {
      this.registered.push(name);
      return { dispose() {} };
    },
    executeCommand: async () => undefined,
  },
};
const clientStub = {
  LanguageClient: FakeClient,
  TransportKind: { stdio: 0 },
  ErrorAction: { Continue: 1, Shutdown: 2 },
  CloseAction: { DoNotRestart: 1, Restart: 2 },
};

const originalLoad = Module._load;
Module._load = function (request: string, ...rest: unknown[]) {
  if (request === "vscode") return vscodeStub;
  if (request === "vscode-languageclient/node") return clientStub;
  return originalLoad.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require("../extension");

function reset(settings: Record<string, string>, startFails = false) {
  state.settings = settings;
  state.errors = [];
  state.clients = [];
  state.startFails = startFails;
  state.folder = fs.mkdtempSync(path.join(os.tmpdir(), "tusk-ws-"));
}

function fakeTusk(dir: string, help: string): string {
  const file = path.join(dir, "build", "bin", "tusk");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\nprintf '${help}'\n`, { mode: 0o755 });
  return file;
}

const context = () => ({ subscriptions: [] as { dispose(): void }[] });

test("the package.json contributes what the extension and the docs promise", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
  const lang = pkg.contributes.languages[0];
  assert.equal(lang.id, "tusk");
  assert.deepEqual(lang.extensions, [".tusk"]);
  assert.equal(pkg.contributes.grammars[0].scopeName, "source.tusk");
  assert.ok(fs.existsSync(path.join(__dirname, "..", "..", pkg.contributes.grammars[0].path)));
  assert.ok(fs.existsSync(path.join(__dirname, "..", "..", lang.configuration)));
  assert.equal(pkg.contributes.configuration.properties["tusk.path"].default, "tusk");
  assert.equal(path.resolve(__dirname, "..", "..", pkg.main), path.resolve(__dirname, "..", "extension.js"));
  assert.ok(pkg.activationEvents.includes("onLanguage:tusk"));
});

test("activation starts `tusk lsp` over stdio for .tusk documents", async () => {
  reset({ path: "build/bin/tusk", stdlib: "stdlib" });
  const tusk = fakeTusk(state.folder, "Subcommands:\\n  lsp  x\\n");
  const ctx = context();
  await extension.activate(ctx);
  assert.deepEqual(state.errors, []);
  assert.equal(state.clients.length, 1);
  const c = state.clients[0];
  assert.ok(c.started);
  assert.equal(c.serverOptions.command, tusk);
  assert.deepEqual(c.serverOptions.args, ["lsp"]);
  assert.equal(c.serverOptions.transport, clientStub.TransportKind.stdio);
  assert.equal(c.serverOptions.options.env.TUSK_STDLIB, path.join(state.folder, "stdlib"));
  assert.deepEqual(
    c.clientOptions.documentSelector.map((d: { language: string }) => d.language),
    ["tusk", "tusk"],
  );
  assert.ok(vscodeStub.commands.registered.includes("tusk.restartServer"));
  assert.ok(ctx.subscriptions.length >= 3);
  // A server that stops before answering `initialize` is not restarted in a loop.
  assert.equal(c.clientOptions.initializationFailedHandler(new Error("x")), false);
  await extension.deactivate();
  assert.ok(c.stopped);
});

test("a missing tusk gives one clear message and no client", async () => {
  reset({ path: "build/bin/tusk" });
  await extension.activate(context());
  assert.equal(state.clients.length, 0);
  assert.equal(state.errors.length, 1);
  assert.match(state.errors[0], /`build\/bin\/tusk` does not exist or is not executable/);
  assert.match(state.errors[0], /tusk\.path/);
  await extension.deactivate();
});

test("a tusk without `lsp` is named as too old, and the failed client is disposed", async () => {
  reset({ path: "build/bin/tusk" }, true);
  fakeTusk(state.folder, "Subcommands:\\n  check  Parse and check a pack.\\n");
  await extension.activate(context());
  assert.equal(state.clients.length, 1);
  assert.ok(state.clients[0].disposed);
  assert.equal(state.errors.length, 1);
  assert.match(state.errors[0], /has no language server/);
  await extension.deactivate();
  assert.ok(!state.clients[0].stopped, "a client that never started is not stopped again");
});
