// Creating GDPR requests and reading their status. A request and its per-store rows, the player's
// suppression (erasures) and the audit entry commit together: from the moment the API answers,
// ingestion drops the player's events and a worker will run every step.
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import { appendAudit } from "../../shared/audit";
import type { BuiltStore } from "../../shared/player-data";
import { suppress } from "../../shared/player-data/suppression";
import { inTransaction } from "../../shared/pg";
import type { GdprSettings } from "../config";

export type RequestKind = "export" | "erase";

export interface StoreStatus {
  readonly store: string;
  readonly status: "pending" | "failed" | "waiting" | "done";
  readonly attempts: number;
  readonly lastError: string | null;
  readonly removed: number | null;
  readonly exported: number | null;
  readonly rebuilt: readonly string[] | null;
  readonly doneAt: Date | null;
}

export interface RequestStatus {
  readonly requestId: string;
  readonly kind: RequestKind;
  readonly gameId: string;
  readonly playerId: string;
  readonly status: "running" | "done";
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly dueAt: Date;
  readonly completedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly stores: readonly StoreStatus[];
}

export async function createRequest(
  pool: Pool,
  stores: readonly BuiltStore[],
  settings: GdprSettings,
  r: { readonly kind: RequestKind; readonly gameId: string; readonly playerId: string; readonly actor: string },
): Promise<{ requestId: string; created: boolean }> {
  return inTransaction(pool, async (c) => {
    // One open erasure per player: asking again returns the running one.
    if (r.kind === "erase") {
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`gdpr:${r.gameId}/${r.playerId}`]);
      const open = await c.query<{ request_id: string }>("SELECT request_id FROM gdpr_requests WHERE kind = 'erase' AND game_id = $1 AND player_id = $2 AND status = 'running'", [
        r.gameId,
        r.playerId,
      ]);
      if (open.rows[0] !== undefined) return { requestId: open.rows[0].request_id, created: false };
      await suppress(c, r.gameId, r.playerId, "erasure");
    }
    const requestId = randomUUID();
    const settle = r.kind === "erase" ? settings.settleMs : 0;
    await c.query(
      `INSERT INTO gdpr_requests (request_id, kind, game_id, player_id, requested_by, due_at, not_before)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::int), now() + make_interval(secs => $7::double precision / 1000))`,
      [requestId, r.kind, r.gameId, r.playerId, r.actor, settings.slaDays, settle],
    );
    await c.query("INSERT INTO gdpr_request_stores (request_id, store) SELECT $1, unnest($2::text[])", [requestId, stores.map((s) => s.store.name)]);
    await appendAudit(c, {
      actor: r.actor,
      action: `gdpr.${r.kind}.requested`,
      target: `player:${r.gameId}/${r.playerId}`,
      details: { requestId, stores: stores.map((s) => s.store.name), slaDays: settings.slaDays },
    });
    return { requestId, created: true };
  });
}

export async function requestStatus(pool: Pool, requestId: string): Promise<RequestStatus | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(requestId)) return undefined;
  const { rows } = await pool.query("SELECT * FROM gdpr_requests WHERE request_id = $1", [requestId]);
  const r = rows[0];
  if (r === undefined) return undefined;
  const stores = await pool.query("SELECT * FROM gdpr_request_stores WHERE request_id = $1 ORDER BY store", [requestId]);
  return {
    requestId: r.request_id,
    kind: r.kind,
    gameId: r.game_id,
    playerId: r.player_id,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    completedAt: r.completed_at,
    expiresAt: r.expires_at,
    stores: stores.rows.map((s) => ({
      store: s.store,
      status: s.status,
      attempts: s.attempts,
      lastError: s.last_error,
      removed: s.removed === null ? null : Number(s.removed),
      exported: s.exported === null ? null : Number(s.exported),
      rebuilt: s.rebuilt,
      doneAt: s.done_at,
    })),
  };
}
