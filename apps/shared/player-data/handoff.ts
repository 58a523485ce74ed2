// The hand-off for data another process owns and only it can reach (archived partitions in S3: the
// retention CronJob). The GDPR job's step records the ask in player_data_handoffs and is answered
// Deferred until the owner has done the work and recorded the outcome; then the step completes with
// that outcome. The owner's side is openHandoffs + completeHandoff. A store of this kind is one line:
//   export const archivesStore = (pool: Pool) => handedOffStore("archives", pool);
import type { Pool } from "pg";
import type { EraseResult, ExportRecord, PlayerDataStore, PlayerRef } from "./types";

/** Not failed, not done: the owner has the work; the job checks again after `checkAfterMs`. */
export class Deferred extends Error {
  constructor(
    message: string,
    readonly checkAfterMs: number,
  ) {
    super(message);
  }
}

export type HandoffStep = "export" | "erase";

export interface Handoff {
  readonly requestId: string;
  readonly store: string;
  readonly step: HandoffStep;
  readonly gameId: string;
  readonly playerId: string;
  readonly requestedAt: Date;
}

/** How often the job asks again; the retention CronJob runs daily, so hours are plenty. */
export const HANDOFF_RECHECK_MS = 60 * 60 * 1000;

async function ask(pool: Pool, store: string, step: HandoffStep, p: PlayerRef): Promise<{ removed: number | null; records: ExportRecord[] | null }> {
  if (p.requestId === undefined) throw new Error(`store ${store}: ${step} is handed to its owner and needs the GDPR request id`);
  await pool.query(
    `INSERT INTO player_data_handoffs (request_id, store, step, game_id, player_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id, store) DO NOTHING`,
    [p.requestId, store, step, p.gameId, p.playerId],
  );
  const { rows } = await pool.query<{ done_at: Date | null; removed: string | null; records: ExportRecord[] | null }>(
    "SELECT done_at, removed, records FROM player_data_handoffs WHERE request_id = $1 AND store = $2",
    [p.requestId, store],
  );
  const row = rows[0];
  if (row?.done_at === null || row === undefined) throw new Deferred(`store ${store}: ${step} handed to its owner, not finished yet`, HANDOFF_RECHECK_MS);
  return { removed: row.removed === null ? null : Number(row.removed), records: row.records };
}

/** A store whose export and erase are done by the data's owner through the hand-off table. */
export function handedOffStore(name: string, pool: Pool): PlayerDataStore {
  return {
    name,
    export: async (p, emit) => {
      const { records } = await ask(pool, name, "export", p);
      for (const r of records ?? []) await emit(r);
      return records?.length ?? 0;
    },
    erase: async (p): Promise<EraseResult> => ({ removed: (await ask(pool, name, "erase", p)).removed ?? 0 }),
  };
}

/** The owner's side: asks not answered yet, oldest first. */
export async function openHandoffs(pool: Pool, store: string, limit = 100): Promise<Handoff[]> {
  const { rows } = await pool.query<{ request_id: string; step: HandoffStep; game_id: string; player_id: string; requested_at: Date }>(
    "SELECT request_id, step, game_id, player_id, requested_at FROM player_data_handoffs WHERE store = $1 AND done_at IS NULL ORDER BY requested_at LIMIT $2",
    [store, limit],
  );
  return rows.map((r) => ({ requestId: r.request_id, store, step: r.step, gameId: r.game_id, playerId: r.player_id, requestedAt: r.requested_at }));
}

/** The owner's side: records the outcome; the job's next check completes the step with it. */
export async function completeHandoff(pool: Pool, h: Pick<Handoff, "requestId" | "store">, outcome: { readonly removed?: number; readonly records?: readonly ExportRecord[] }): Promise<void> {
  await pool.query("UPDATE player_data_handoffs SET done_at = now(), removed = $3, records = $4 WHERE request_id = $1 AND store = $2", [
    h.requestId,
    h.store,
    outcome.removed ?? null,
    outcome.records === undefined ? null : JSON.stringify(outcome.records),
  ]);
}
