// The Tusk extension: the language (.tusk), its TextMate grammar (package.json contributes
// them), and a client for the Tusk language server, `tusk lsp`, which speaks LSP over stdio.
// Without a `tusk` that has `lsp`, the extension says so once and highlighting still works.
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import {
  RestartPolicy,
  hasLspCommand,
  notFoundMessage,
  resolveTusk,
  serverEnv,
  startFailureMessage,
} from "./server";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, "Open Settings");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "tusk.path");
  }
}

async function startServer(): Promise<void> {
  const config = vscode.workspace.getConfiguration("tusk");
  const folder = workspaceFolder();
  const setting = config.get<string>("path", "tusk");
  const command = resolveTusk(setting, { workspaceFolder: folder, env: process.env });
  if (!command) {
    output?.appendLine(notFoundMessage(setting));
    void showError(notFoundMessage(setting));
    return;
  }
  const env = serverEnv(process.env, config.get<string>("stdlib", ""), folder);
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
    options: { env, cwd: folder },
  };
  const restarts = new RestartPolicy();
  let initialized = false;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "tusk" },
      { scheme: "untitled", language: "tusk" },
    ],
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.tusk,*.yaml}") },
    initializationFailedHandler: () => false,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () =>
        restarts.shouldRestart(initialized)
          ? { action: CloseAction.Restart }
          : {
              action: CloseAction.DoNotRestart,
              message: initialized
                ? "Tusk: the language server stopped several times in the last minutes and will not be restarted; run \"Tusk: Restart the language server\" after fixing it."
                : undefined,
              handled: !initialized,
            },
    },
  };
  const c = new LanguageClient("tusk", "Tusk language server", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    initialized = true;
  } catch (err) {
    client = undefined;
    const detail = err instanceof Error ? err.message : String(err);
    output?.appendLine(`tusk lsp failed to start: ${detail}`);
    void showError(startFailureMessage(command, hasLspCommand(command, env), detail));
    try {
      await c.dispose();
    } catch {
      // already stopped
    }
  }
}

async function stopServer(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Tusk");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("tusk.restartServer", async () => {
      await stopServer();
      await startServer();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("tusk.path") || e.affectsConfiguration("tusk.stdlib")) {
        await stopServer();
        await startServer();
      }
    }),
  );
  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}
