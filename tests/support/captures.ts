import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { capture, type Capture, type CaptureOptions } from "../../infra/tools/capture";
import { PROJECT_ROOT } from "../../infra/tools/stack-config";

/**
 * Captures shared across jest workers and test files: a capture is a pure function of the
 * program's sources, the stack files and the overrides, so it is computed once and kept on disk
 * under a key that hashes all three. Any change to infra/ gives a new key.
 */
const CACHE_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "gamemetrics-captures");

let sourceHash: string | undefined;

function hashSources(): string {
  const hash = createHash("sha256");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) files.push(full);
    }
  };
  walk(path.join(PROJECT_ROOT, "infra"));
  for (const name of fs.readdirSync(PROJECT_ROOT)) if (/^Pulumi\..*yaml$/.test(name)) files.push(path.join(PROJECT_ROOT, name));
  for (const file of files.sort()) hash.update(file).update("\0").update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

export async function cachedCapture(opts: Omit<CaptureOptions, "program">): Promise<Capture> {
  sourceHash ??= hashSources();
  const key = createHash("sha256").update(JSON.stringify([sourceHash, opts.stack, opts.config ?? []])).digest("hex").slice(0, 24);
  const file = path.join(CACHE_DIR, `${key}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Capture;
  const result = await capture(opts);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result));
  fs.renameSync(tmp, file); // atomic: a concurrent worker reads a whole file or none
  return result;
}
