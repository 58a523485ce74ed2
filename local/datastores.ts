// PostgreSQL and Redis for the local platform: reuse the ones that answer, otherwise
// start throwaway servers from the installed binaries under .local/ (and only those are stopped later).
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { isPortOpen, stopProcess, waitFor } from "./net";
import { requireCommand } from "./prereqs";

export interface Started {
  /** Set when this run started the server; absent when an existing one was reused. */
  pid?: number;
  dataDir?: string;
}

async function pgAnswers(url: URL): Promise<boolean> {
  const probe = new URL(url.toString());
  probe.pathname = "/postgres";
  const c = new Client({ connectionString: probe.toString(), connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const isLocal = (host: string) => host === "127.0.0.1" || host === "localhost" || host === "::1";

/** initdb refuses to run as root; run the server tools as the postgres user then. */
function asPgUser(cmd: string, args: string[], dir: string): [string, string[]] {
  if (userInfo().uid !== 0) return [cmd, args];
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (id.status !== 0) throw new Error("running as root and there is no 'postgres' user to run a throwaway PostgreSQL as");
  chownSync(dir, Number(id.stdout.trim()), Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()));
  return ["runuser", ["-u", "postgres", "--", cmd, ...args]];
}

export async function ensurePostgres(databaseUrl: string, dir: string, log: (l: string) => void): Promise<Started> {
  const url = new URL(databaseUrl);
  if (await pgAnswers(url)) {
    log(`PostgreSQL: reusing ${url.host}`);
    return {};
  }
  if (!isLocal(url.hostname)) throw new Error(`PostgreSQL at ${url.host} (DATABASE_URL) does not answer`);
  const port = Number(url.port === "" ? 5432 : url.port);
  const initdb = requireCommand("initdb");
  const pgCtl = requireCommand("pg_ctl");
  const dataDir = join(dir, "pg");
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    const [c, a] = asPgUser(initdb, ["-D", dataDir, "-U", url.username === "" ? "postgres" : decodeURIComponent(url.username), "--auth=trust", "-E", "UTF8"], dataDir);
    const r = spawnSync(c, a, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  }
  log(`PostgreSQL: starting a throwaway server on port ${port} (${dataDir})`);
  const opts = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const [c, a] = asPgUser(pgCtl, ["-D", dataDir, "-o", opts, "-l", join(dataDir, "server.log"), "-w", "start"], dataDir);
  const r = spawnSync(c, a, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}${r.stdout}; see ${join(dataDir, "server.log")}`);
  await waitFor("PostgreSQL", () => pgAnswers(url), 30_000);
  const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  return { pid, dataDir };
}

export async function stopPostgres(s: Started): Promise<void> {
  if (s.dataDir === undefined) return;
  const [c, a] = asPgUser(requireCommand("pg_ctl"), ["-D", s.dataDir, "-m", "fast", "-w", "stop"], s.dataDir);
  spawnSync(c, a, { encoding: "utf8" });
}

export async function ensureRedis(redisUrl: string, dir: string, log: (l: string) => void): Promise<Started> {
  const url = new URL(redisUrl);
  const port = Number(url.port === "" ? 6379 : url.port);
  if (await isPortOpen(port, url.hostname)) {
    log(`Redis: reusing ${url.host}`);
    return {};
  }
  if (!isLocal(url.hostname)) throw new Error(`Redis at ${url.host} (REDIS_URL) does not answer`);
  const bin = requireCommand("redis-server");
  const dataDir = join(dir, "redis");
  mkdirSync(dataDir, { recursive: true });
  log(`Redis: starting a throwaway server on port ${port}`);
  const out = openSync(join(dataDir, "redis.log"), "a");
  const child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dataDir], {
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  let exited: string | undefined;
  child.once("exit", (code) => (exited = `exit ${code}; see ${join(dataDir, "redis.log")}`));
  await waitFor("Redis", () => isPortOpen(port, url.hostname), 15_000, () => exited);
  return { pid: child.pid as number };
}

export async function stopRedis(s: Started): Promise<void> {
  if (s.pid !== undefined) await stopProcess(s.pid, 5000);
}
