// The export document: NDJSON of ExportRecord, gzip. Each store's records are one gzip member,
// written when its step is done; the document is a header member and the stores' members, in
// store order (RFC 1952: a gzip file may hold several members, decoders concatenate them).
import { createGzip, gzipSync } from "node:zlib";
import type { Pool, PoolClient } from "pg";
import type { ExportRecord, PlayerDataStore, PlayerRef } from "../../shared/player-data";
import type { RequestStatus } from "./requests";

/** Runs one store's export into a gzip member; the stream keeps memory to the compressed size. */
export async function exportPart(store: PlayerDataStore, player: PlayerRef): Promise<{ records: number; content: Buffer }> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => gzip.once("end", resolve).once("error", reject));
  const write = (line: string) => new Promise<void>((resolve) => (gzip.write(line) ? resolve() : gzip.once("drain", resolve)));
  const records = await store.export(player, async (r: ExportRecord) => write(`${JSON.stringify(r)}\n`));
  gzip.end();
  await finished;
  return { records, content: Buffer.concat(chunks) };
}

export async function savePart(c: PoolClient, requestId: string, store: string, part: { records: number; content: Buffer }): Promise<void> {
  await c.query(
    `INSERT INTO gdpr_export_parts (request_id, store, records, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (request_id, store) DO UPDATE SET records = EXCLUDED.records, content = EXCLUDED.content`,
    [requestId, store, part.records, part.content],
  );
}

/** The whole document, header first: what the request was, when, and how many records each store gave. */
export async function exportDocument(pool: Pool, status: RequestStatus): Promise<Buffer> {
  const { rows } = await pool.query<{ store: string; records: string; content: Buffer }>("SELECT store, records, content FROM gdpr_export_parts WHERE request_id = $1 ORDER BY store", [
    status.requestId,
  ]);
  const header: ExportRecord = {
    store: "_request",
    kind: "export",
    data: {
      requestId: status.requestId,
      gameId: status.gameId,
      playerId: status.playerId,
      requestedAt: status.requestedAt.toISOString(),
      completedAt: status.completedAt?.toISOString() ?? null,
      stores: rows.map((r) => ({ store: r.store, records: Number(r.records) })),
    },
  };
  return Buffer.concat([gzipSync(`${JSON.stringify(header)}\n`), ...rows.map((r) => r.content)]);
}

/** Deletes documents past their availability; returns how many requests' parts went. */
export async function deleteExpiredExports(pool: Pool): Promise<number> {
  const r = await pool.query(
    "DELETE FROM gdpr_export_parts p USING gdpr_requests q WHERE p.request_id = q.request_id AND q.kind = 'export' AND q.expires_at < now()",
  );
  return r.rowCount ?? 0;
}
