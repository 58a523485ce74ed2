// The job's record of a verified archive, in one transaction: the archive row, the player index the
// GDPR rewrite uses (rebuilt from the objects just verified), and the audit entry.
import type { Pool } from "pg";
import { appendAudit } from "../shared/audit";
import type { StoredManifest } from "../shared/archive/manifest";
import { inTransaction } from "../shared/pg";

export async function recordArchive(pool: Pool, actor: string, s: StoredManifest, players: ReadonlyMap<number, ReadonlySet<string>>): Promise<void> {
  const m = s.manifest;
  await inTransaction(pool, async (c) => {
    const prev = await c.query<{ manifest_sha256: string }>("SELECT manifest_sha256 FROM retention_archives WHERE game_id = $1 AND day = $2 FOR UPDATE", [m.gameId, m.day]);
    await c.query(
      `INSERT INTO retention_archives (game_id, day, source_partition, generation, rows, bytes, parts, rows_digest, manifest_sha256, schema_fingerprint, verified_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (game_id, day) DO UPDATE SET source_partition = EXCLUDED.source_partition, generation = EXCLUDED.generation, rows = EXCLUDED.rows,
         bytes = EXCLUDED.bytes, parts = EXCLUDED.parts, rows_digest = EXCLUDED.rows_digest, manifest_sha256 = EXCLUDED.manifest_sha256,
         schema_fingerprint = EXCLUDED.schema_fingerprint, verified_at = now(), dropped_at = NULL`,
      [m.gameId, m.day, m.sourcePartition, m.generation, m.rows, m.parts.reduce((n, p) => n + p.bytes, 0), m.parts.length, m.rowsDigest, s.sha256, m.schema.fingerprint],
    );
    await c.query("DELETE FROM retention_archived_players WHERE game_id = $1 AND day = $2", [m.gameId, m.day]);
    const pairs = [...players].flatMap(([part, ids]) => [...ids].map((id) => [id, part] as const));
    for (let i = 0; i < pairs.length; i += 10_000) {
      const slice = pairs.slice(i, i + 10_000);
      await c.query(
        "INSERT INTO retention_archived_players (game_id, player_id, day, part) SELECT $1, p, $2, n FROM unnest($3::text[], $4::int[]) AS u(p, n)",
        [m.gameId, m.day, slice.map((x) => x[0]), slice.map((x) => x[1])],
      );
    }
    // A re-verification of an unchanged archive is not a new archive.
    if (prev.rows[0]?.manifest_sha256 !== s.sha256) {
      await appendAudit(c, {
        actor,
        action: "retention.archive",
        target: `archive:${m.gameId}/${m.day}`,
        details: {
          sourcePartition: m.sourcePartition,
          generation: m.generation,
          rows: m.rows,
          rowsDigest: m.rowsDigest,
          manifestSha256: s.sha256,
          parts: m.parts.map((p) => ({ key: p.key, rows: p.rows, bytes: p.bytes, sha256: p.sha256 })),
        },
      });
    }
  });
}
