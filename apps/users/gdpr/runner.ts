// The GDPR worker: every pod runs one; they share the work through PostgreSQL. A step is claimed
// with a lease (so a worker killed mid-step is replaced once the lease lapses: every store's erase
// and export is idempotent), run, and recorded done with its audit entry in one transaction; a
// failure is retried with backoff, a hand-off (Deferred) checked again later. The request completes
// in the transaction of its last store.
import type { Pool, PoolClient } from "pg";
import { appendAudit } from "../../shared/audit";
import type { Logger } from "../../shared/logger";
import type { BuiltStore } from "../../shared/player-data";
import { Deferred } from "../../shared/player-data/handoff";
import { inTransaction } from "../../shared/pg";
import type { GdprSettings } from "../config";
import type { UsersMetrics } from "../metrics";
import { deleteExpiredExports, exportPart, savePart } from "./export-doc";
import type { RequestKind } from "./requests";
import { dependenciesDone, retryDelayMs } from "./retry";

interface Claimed {
  request_id: string;
  store: string;
  attempts: number;
  kind: RequestKind;
  game_id: string;
  player_id: string;
}

const ACTOR = "service:users";

export class GdprRunner {
  private readonly stores: Map<string, BuiltStore>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    stores: readonly BuiltStore[],
    private readonly settings: GdprSettings,
    private readonly metrics: UsersMetrics,
    private readonly logger: Logger,
    private readonly batch = 4,
  ) {
    this.stores = new Map(stores.map((s) => [s.store.name, s]));
  }

  /** Claims the steps that are due and runs them; returns how many it ran. */
  async runOnce(): Promise<number> {
    const { rows } = await this.pool.query<Claimed>(
      `UPDATE gdpr_request_stores s SET locked_until = now() + make_interval(secs => $1::double precision / 1000), attempts = s.attempts + 1
       FROM (SELECT s.request_id, s.store FROM gdpr_request_stores s JOIN gdpr_requests r USING (request_id)
             WHERE s.status <> 'done' AND r.status = 'running' AND s.next_attempt_at <= now() AND r.not_before <= now()
               AND (s.locked_until IS NULL OR s.locked_until < now())
             ORDER BY r.due_at, s.store LIMIT $2 FOR UPDATE OF s SKIP LOCKED) c, gdpr_requests r
       WHERE s.request_id = c.request_id AND s.store = c.store AND r.request_id = s.request_id
       RETURNING s.request_id, s.store, s.attempts, r.kind, r.game_id, r.player_id`,
      [this.settings.leaseMs, this.batch],
    );
    await Promise.all(rows.map((step) => this.run(step)));
    await this.observe();
    return rows.length;
  }

  private async run(step: Claimed): Promise<void> {
    const built = this.stores.get(step.store);
    if (built === undefined) return this.failed(step, new Error(`store "${step.store}" is not in this service's list (apps/shared/player-data/index.ts)`));
    if (step.kind === "erase" && built.after.length > 0) {
      const { rows } = await this.pool.query<{ store: string }>("SELECT store FROM gdpr_request_stores WHERE request_id = $1 AND status = 'done'", [step.request_id]);
      if (!dependenciesDone(built.after, new Set(rows.map((r) => r.store)))) return this.later(step, "pending", this.settings.pollMs, null, false);
    }
    const player = { gameId: step.game_id, playerId: step.player_id, requestId: step.request_id };
    try {
      if (step.kind === "erase") {
        const result = await built.store.erase(player);
        await this.done(step, { removed: result.removed, rebuilt: result.rebuilt ?? [] }, async (c) =>
          appendAudit(c, { actor: ACTOR, action: "gdpr.erase.store_done", target: `player:${step.game_id}/${step.player_id}`, details: { requestId: step.request_id, store: step.store, removed: result.removed, rebuilt: [...(result.rebuilt ?? [])] } }),
        );
      } else {
        const part = await exportPart(built.store, player);
        await this.done(step, { exported: part.records }, async (c) => {
          await savePart(c, step.request_id, step.store, part);
          await appendAudit(c, { actor: ACTOR, action: "gdpr.export.store_done", target: `player:${step.game_id}/${step.player_id}`, details: { requestId: step.request_id, store: step.store, records: part.records } });
        });
      }
      this.metrics.gdprSteps.inc({ kind: step.kind, store: step.store, outcome: "done" });
    } catch (err) {
      if (err instanceof Deferred) {
        this.metrics.gdprSteps.inc({ kind: step.kind, store: step.store, outcome: "waiting" });
        // The owner said when to look again; never later than the longest back-off.
        return this.later(step, "waiting", Math.min(err.checkAfterMs, this.settings.maxBackoffMs), err.message, false);
      }
      return this.failed(step, err as Error);
    }
  }

  private async failed(step: Claimed, err: Error): Promise<void> {
    this.metrics.gdprSteps.inc({ kind: step.kind, store: step.store, outcome: "failed" });
    this.logger.warn({ requestId: step.request_id, store: step.store, attempts: step.attempts, err: err.message }, "GDPR step failed; will retry");
    await this.later(step, "failed", retryDelayMs(step.attempts, this.settings.pollMs, this.settings.maxBackoffMs), err.message.slice(0, 2000), true);
  }

  /** Releases the step to run again after `delayMs`; `counts`: whether this claim was a real attempt. */
  private async later(step: Claimed, status: "pending" | "failed" | "waiting", delayMs: number, error: string | null, counts: boolean): Promise<void> {
    await this.pool.query(
      `UPDATE gdpr_request_stores SET status = $3, locked_until = NULL, last_error = $4, attempts = attempts - $6,
         next_attempt_at = now() + make_interval(secs => $5::double precision / 1000) WHERE request_id = $1 AND store = $2 AND status <> 'done'`,
      [step.request_id, step.store, status, error, delayMs, counts ? 0 : 1],
    );
  }

  private async done(step: Claimed, outcome: { removed?: number; exported?: number; rebuilt?: readonly string[] }, record: (c: PoolClient) => Promise<unknown>): Promise<void> {
    const completed = await inTransaction(this.pool, async (c) => {
      // Serialises the stores of one request, so exactly one transaction sees the last store done.
      await c.query("SELECT 1 FROM gdpr_requests WHERE request_id = $1 FOR UPDATE", [step.request_id]);
      const updated = await c.query(
        `UPDATE gdpr_request_stores SET status = 'done', done_at = now(), locked_until = NULL, last_error = NULL, removed = $3, exported = $4, rebuilt = $5
         WHERE request_id = $1 AND store = $2 AND status <> 'done'`,
        [step.request_id, step.store, outcome.removed ?? null, outcome.exported ?? null, outcome.rebuilt === undefined ? null : [...outcome.rebuilt]],
      );
      if (updated.rowCount === 0) return false; // another worker finished it after our lease lapsed
      await record(c);
      const finished = await c.query<{ requested_at: Date }>(
        `UPDATE gdpr_requests SET status = 'done', completed_at = now(),
           expires_at = CASE WHEN kind = 'export' THEN now() + make_interval(hours => $2::int) END
         WHERE request_id = $1 AND status = 'running' AND NOT EXISTS (SELECT 1 FROM gdpr_request_stores WHERE request_id = $1 AND status <> 'done')
         RETURNING requested_at`,
        [step.request_id, this.settings.exportTtlHours],
      );
      if (finished.rows[0] === undefined) return false;
      await appendAudit(c, {
        actor: ACTOR,
        action: `gdpr.${step.kind}.completed`,
        target: `player:${step.game_id}/${step.player_id}`,
        details: { requestId: step.request_id, seconds: Math.round((Date.now() - finished.rows[0].requested_at.getTime()) / 1000) },
      });
      return true;
    });
    if (completed) {
      this.metrics.gdprRequests.inc({ kind: step.kind, event: "completed" });
      this.logger.info({ requestId: step.request_id, kind: step.kind }, "GDPR request completed");
    }
  }

  /** The SLA gauges: open requests and the most urgent one's time left, per kind. */
  private async observe(): Promise<void> {
    const { rows } = await this.pool.query<{ kind: RequestKind; open: string; due: Date }>(
      "SELECT kind, count(*) AS open, min(due_at) AS due FROM gdpr_requests WHERE status = 'running' GROUP BY kind",
    );
    for (const kind of ["export", "erase"] as const) {
      const r = rows.find((x) => x.kind === kind);
      this.metrics.gdprOpen.set({ kind }, r === undefined ? 0 : Number(r.open));
      if (r === undefined) this.metrics.gdprSecondsToDue.remove({ kind });
      else this.metrics.gdprSecondsToDue.set({ kind }, Math.round((r.due.getTime() - Date.now()) / 1000));
    }
  }

  /** Polls every pollMs until stopped; errors are logged and the loop goes on. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.runOnce()
          .then(async (n) => {
            if (n === 0) await deleteExpiredExports(this.pool);
          })
          .catch((err: Error) => this.logger.error({ err: err.message }, "GDPR worker pass failed"))
          .finally(tick);
      }, this.settings.pollMs);
    };
    tick();
  }

  /** Stops polling and waits for the pass under way; an interrupted step is retried by its lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }
}
