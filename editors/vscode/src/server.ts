// Finding the `tusk` program and explaining, in words a policy writer can act on, why the
// language server did not start. Nothing here imports `vscode`, so it is tested with plain Node
// (src/test/server.test.ts).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface ResolveOptions {
  /** The first workspace folder: relative `tusk.path` and `tusk.stdlib` values start there. */
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The setting as written, or `tusk` when it is empty. */
export function configuredName(setting: string | undefined): string {
  const s = (setting ?? "").trim();
  return s === "" ? "tusk" : s;
}

/**
 * The absolute path of the program `tusk.path` names, or undefined when there is none:
 * an absolute path is taken as it is, a path with a directory part is relative to the
 * workspace folder, and a bare name is looked up on PATH (with PATHEXT on Windows).
 */
export function resolveTusk(setting: string | undefined, opts: ResolveOptions): string | undefined {
  const platform = opts.platform ?? process.platform;
  const name = configuredName(setting);
  const expanded = name.startsWith("~/") && opts.env.HOME ? path.join(opts.env.HOME, name.slice(2)) : name;
  if (path.isAbsolute(expanded)) return isExecutableFile(expanded, platform) ? expanded : undefined;
  if (expanded.includes("/") || (platform === "win32" && expanded.includes("\\"))) {
    const base = opts.workspaceFolder ?? process.cwd();
    const file = path.resolve(base, expanded);
    return isExecutableFile(file, platform) ? file : undefined;
  }
  const dirs = (opts.env.PATH ?? opts.env.Path ?? "").split(path.delimiter).filter((d) => d !== "");
  const exts = platform === "win32" ? ["", ...(opts.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")] : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, expanded + ext);
      if (isExecutableFile(file, platform)) return file;
    }
  }
  return undefined;
}

/** The environment of the server process: TUSK_STDLIB from `tusk.stdlib` when it is set. */
export function serverEnv(base: NodeJS.ProcessEnv, stdlibSetting: string | undefined, workspaceFolder?: string): NodeJS.ProcessEnv {
  const env = { ...base };
  const stdlib = (stdlibSetting ?? "").trim();
  if (stdlib !== "") env.TUSK_STDLIB = path.resolve(workspaceFolder ?? process.cwd(), stdlib);
  return env;
}

export function notFoundMessage(setting: string | undefined): string {
  const name = configuredName(setting);
  const where = name.includes("/") || name.includes("\\") ? `\`${name}\` does not exist or is not executable` : `\`${name}\` is not on PATH`;
  return (
    `Tusk: cannot start the language server: ${where}. ` +
    "Build tusk (`bash scripts/run` in a Tusk checkout puts it at build/bin/tusk) and set `tusk.path` to it, " +
    "or add its directory to PATH. Highlighting works without it; diagnostics, hover and completion need it."
  );
}

/**
 * Whether `tusk --help` lists an `lsp` command: true or false, or undefined when the program
 * could not be run. Used only to explain a failed start.
 */
export function hasLspCommand(command: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const r = spawnSync(command, ["--help"], { env, encoding: "utf8", timeout: 10000 });
  if (r.error || typeof r.stdout !== "string") return undefined;
  const help = r.stdout + (r.stderr ?? "");
  return /^\s+lsp\b/m.test(help);
}

export function startFailureMessage(command: string, hasLsp: boolean | undefined, detail?: string): string {
  if (hasLsp === false) {
    return (
      `Tusk: \`${command}\` has no language server (its \`--help\` lists no \`lsp\` command): ` +
      "it was built before `tusk lsp` existed. Update and rebuild tusk, or point `tusk.path` at a newer one. " +
      "Highlighting works without it."
    );
  }
  const why = detail ? `: ${detail}` : "";
  return `Tusk: \`${command} lsp\` did not start${why}. The "Tusk" output channel has what the server printed.`;
}

/**
 * When to restart a server that stopped: never if it stopped before it answered `initialize`
 * (a missing `lsp` command, a bad stdlib path: restarting would fail the same way), otherwise
 * up to `maxRestarts` times within `windowMs`.
 */
export class RestartPolicy {
  private stops: number[] = [];
  constructor(private readonly maxRestarts = 3, private readonly windowMs = 3 * 60 * 1000) {}

  shouldRestart(wasInitialized: boolean, now: number = Date.now()): boolean {
    if (!wasInitialized) return false;
    this.stops = this.stops.filter((t) => now - t < this.windowMs);
    this.stops.push(now);
    return this.stops.length <= this.maxRestarts;
  }
}
