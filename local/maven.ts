// Jars from Maven Central through a pom that only lists dependencies (local/kafka, local/s3proxy):
// fetched once into .local/<what>/libs and again only when the pom changes (cached in ~/.m2).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireCommand } from "./prereqs";

export function fetchMavenJars(pom: string, libsDir: string, what: string, log: (line: string) => void): void {
  const stamp = join(libsDir, ".pom-sha256");
  const sha = createHash("sha256").update(readFileSync(pom)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === sha) return;
  const mvn = requireCommand("mvn");
  log(`fetching ${what} from Maven Central (cached in ~/.m2 after the first time)...`);
  const r = spawnSync(mvn, ["-B", "-q", "-f", pom, "dependency:copy-dependencies"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`mvn dependency:copy-dependencies (${pom}) failed:\n${r.stdout}${r.stderr}`);
  writeFileSync(stamp, sha);
}
