// `npm run audit -- verify`: walks the hash chain of audit_log and names the first broken link
// (exit 0 intact, 1 broken). `npm run audit -- head`: prints the chain head (seq and hash), what the
// users service anchors to the Object Lock bucket, for comparing with an anchored copy.
import { verifyAuditChain } from "../shared/audit";
import { loadCommonConfig } from "../shared/config";
import { createPool } from "../shared/pg";

async function main(command: string | undefined): Promise<number> {
  if (command !== "verify" && command !== "head") throw new Error("usage: npm run audit -- verify | head");
  const pool = createPool(loadCommonConfig().databaseUrl, 1);
  try {
    const verdict = await verifyAuditChain(pool);
    if (!verdict.ok) {
      process.stdout.write(`audit chain BROKEN at row ${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} rows before it verify)\n`);
      return 1;
    }
    process.stdout.write(command === "head" ? `${verdict.entries} ${verdict.head}\n` : `audit chain intact: ${verdict.entries} rows, head ${verdict.head}\n`);
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
