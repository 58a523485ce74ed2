// `npm run audit -- verify`: walks the hash chain of audit_log and names the first broken link; with
// ARCHIVES_BUCKET set (as in the users pod), also checks the database against the newest chain head
// anchored in the bucket under Object Lock, which catches a wholesale rewrite. Exit 0 intact, 1 broken.
// `npm run audit -- anchor`: anchors the current head now (the users service does it hourly).
import { anchorChainHead, anchorS3Client, checkLatestAnchor } from "../shared/audit-anchor";
import { verifyAuditChain } from "../shared/audit";
import { int, loadCommonConfig, str } from "../shared/config";
import { createPool } from "../shared/pg";

async function main(command: string | undefined): Promise<number> {
  if (command !== "verify" && command !== "anchor") throw new Error("usage: npm run audit -- verify | anchor");
  const bucket = str(process.env, "ARCHIVES_BUCKET", "");
  const target = bucket === "" ? undefined : { s3: anchorS3Client(), bucket, prefix: str(process.env, "ARCHIVES_PREFIX", "audit-anchors"), retentionDays: int(process.env, "AUDIT_ANCHOR_RETENTION_DAYS", 400, 1, 36_500) };
  const pool = createPool(loadCommonConfig().databaseUrl, 1);
  try {
    if (command === "anchor") {
      if (target === undefined) throw new Error("ARCHIVES_BUCKET is not set: nowhere to anchor");
      const r = await anchorChainHead(pool, target);
      process.stdout.write(r.problem !== undefined ? `NOT anchored: ${r.problem}\n` : r.anchored !== undefined ? `anchored row ${r.anchored.seq} ${r.anchored.hash}\n` : "head already anchored\n");
      return r.problem === undefined ? 0 : 1;
    }
    const verdict = await verifyAuditChain(pool);
    if (!verdict.ok) {
      process.stdout.write(`audit chain BROKEN at row ${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} rows before it verify)\n`);
      return 1;
    }
    if (target !== undefined) {
      const anchored = await checkLatestAnchor(pool, target);
      if (!anchored.ok) {
        process.stdout.write(`audit chain BROKEN against its anchor: ${anchored.reason}\n`);
        return 1;
      }
    }
    process.stdout.write(`audit chain intact: ${verdict.entries} rows, head ${verdict.head}${target === undefined ? "" : " (anchor checked)"}\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
