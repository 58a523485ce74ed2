import { existsSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** A missing tool, said in one line: what is missing and how to install it. */
export class MissingPrerequisite extends Error {}

const HINTS: Record<string, string> = {
  java: "Java 17+ (install: apt-get install openjdk-17-jre-headless)",
  mvn: "Apache Maven (install: apt-get install maven)",
  initdb: "PostgreSQL server binaries (install: apt-get install postgresql), or point DATABASE_URL at a reachable server",
  pg_ctl: "PostgreSQL server binaries (install: apt-get install postgresql), or point DATABASE_URL at a reachable server",
  "redis-server": "Redis (install: apt-get install redis-server), or point REDIS_URL at a reachable server",
  openssl: "openssl (install: apt-get install openssl)",
};

function onPath(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  const out = r.stdout.trim();
  return r.status === 0 && out !== "" ? out : undefined;
}

/** Debian keeps the PostgreSQL server tools off PATH, under /usr/lib/postgresql/<major>/bin. */
function debianPgBin(cmd: string): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return majors.map((m) => join(root, m, "bin", cmd)).find((p) => existsSync(p));
}

/** Absolute path of a required command, or a MissingPrerequisite naming how to install it. */
export function requireCommand(cmd: keyof typeof HINTS): string {
  const found = onPath(cmd) ?? (cmd === "initdb" || cmd === "pg_ctl" ? debianPgBin(cmd) : undefined);
  if (found === undefined) throw new MissingPrerequisite(`missing ${HINTS[cmd]}`);
  return found;
}

export function javaMajorVersion(java: string): number {
  const r = spawnSync(java, ["-version"], { encoding: "utf8" });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr + r.stdout);
  if (m === null) return 0;
  return m[1] === "1" ? Number(m[2]) : Number(m[1]);
}
