// Runs the app services as child processes (the local platform, tests and bench all use this).
import { ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { REPO_ROOT } from "./kafka-broker";
import { stopProcess, waitFor } from "./net";

export type ServiceName = "ingestion" | "processor" | "users" | "analytics" | "notifications" | "smtp-sink" | "retention" | "recommendations" | "dashboard";

const ENTRY: Record<ServiceName, string> = {
  ingestion: join(REPO_ROOT, "apps", "ingestion", "main.ts"),
  processor: join(REPO_ROOT, "apps", "processor", "main.ts"),
  users: join(REPO_ROOT, "apps", "users", "main.ts"),
  analytics: join(REPO_ROOT, "apps", "analytics", "main.ts"),
  notifications: join(REPO_ROOT, "apps", "notifications", "main.ts"),
  "smtp-sink": join(REPO_ROOT, "local", "smtp-sink-main.ts"),
  retention: join(REPO_ROOT, "apps", "retention", "main.ts"),
  recommendations: join(REPO_ROOT, "apps", "recommendations", "main.ts"),
  dashboard: join(REPO_ROOT, "apps", "dashboard", "main.ts"),
};

export interface RunningService {
  name: ServiceName;
  pid: number;
  child: ChildProcess;
  /** Graceful stop (SIGTERM: drain, then exit). */
  stop(): Promise<void>;
  /** kill -9: no chance to finish anything. */
  kill(): Promise<void>;
}

const BUILD_DIR = join(REPO_ROOT, ".local", "build");

/**
 * Bundles a service's TypeScript into one JavaScript file (node_modules stay external), as the
 * images run compiled code too: running under the tsx loader costs each process a second V8
 * isolate for the loader thread (~45 MB RSS) and compiles every module at start-up.
 * The file is named by its content, so concurrent starts (parallel test files) never race.
 */
export async function bundle(name: ServiceName): Promise<string> {
  const out = await build({
    entryPoints: [ENTRY[name]],
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node24",
    format: "cjs",
    sourcemap: "inline",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0].contents;
  const file = join(BUILD_DIR, `${name}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`);
  if (!existsSync(file)) {
    mkdirSync(BUILD_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Starts a service with the given environment and waits for its /readyz. */
export async function startService(name: ServiceName, env: Record<string, string>, readyUrl: string, logFile: string): Promise<RunningService> {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--enable-source-maps", await bundle(name)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  const pid = child.pid as number;
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exit ${code ?? signal}; see ${logFile}`));
  await waitFor(`${name} (${readyUrl})`, () => answers200(readyUrl), 60_000, () => exited);
  const waitExit = () => (exited !== undefined ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r())));
  return {
    name,
    pid,
    child,
    stop: async () => {
      await stopProcess(pid, 20_000);
      await waitExit();
    },
    kill: async () => {
      if (exited === undefined) process.kill(pid, "SIGKILL");
      await waitExit();
    },
  };
}
