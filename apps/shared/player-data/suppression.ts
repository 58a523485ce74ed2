// Players whose new events are acknowledged and dropped at ingestion: erased (for good) or without
// analytics consent (until given again). Written by the users service in the transaction that records
// the erasure request or consent change; read by every ingestion pod through SuppressionCache, an
// in-memory set refreshed incrementally, so the per-event check costs no round trip.
import type { Pool, PoolClient } from "pg";

export type SuppressionReason = "erasure" | "consent";

/** Starts (or resumes) suppressing the player's new events for `reason`. */
export async function suppress(client: PoolClient | Pool, gameId: string, playerId: string, reason: SuppressionReason): Promise<void> {
  await client.query(
    `INSERT INTO player_suppressions (game_id, player_id, reason) VALUES ($1, $2, $3)
     ON CONFLICT (game_id, player_id, reason) DO UPDATE
       SET since = CASE WHEN player_suppressions.lifted_at IS NULL THEN player_suppressions.since ELSE now() END,
           lifted_at = NULL, changed_at = clock_timestamp()
     WHERE player_suppressions.lifted_at IS NOT NULL`,
    [gameId, playerId, reason],
  );
}

/** Stops suppressing for `reason` (another reason may still hold). */
export async function liftSuppression(client: PoolClient | Pool, gameId: string, playerId: string, reason: SuppressionReason): Promise<void> {
  await client.query("UPDATE player_suppressions SET lifted_at = now(), changed_at = clock_timestamp() WHERE game_id = $1 AND player_id = $2 AND reason = $3 AND lifted_at IS NULL", [
    gameId,
    playerId,
    reason,
  ]);
}

interface Row {
  game_id: string;
  player_id: string;
  reason: SuppressionReason;
  lifted_at: Date | null;
  changed_at: Date;
}

/**
 * Re-reads this much before the newest change seen, so a row whose transaction committed after a
 * later one (timestamps are taken before commit) is still picked up.
 */
const OVERLAP_MS = 60_000;

const keyOf = (gameId: string, playerId: string): string => `${gameId}\u0000${playerId}`;

export class SuppressionCache {
  private readonly active = new Map<string, Set<SuppressionReason>>();
  private newest: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Time of the last refresh that succeeded (0: never). */
  lastRefreshMs = 0;

  constructor(
    private readonly pool: Pool,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  isSuppressed(gameId: string, playerId: string): boolean {
    return this.active.has(keyOf(gameId, playerId));
  }

  get size(): number {
    return this.active.size;
  }

  /** Applies every change since the last refresh (all rows the first time). */
  async refresh(): Promise<void> {
    const since = this.newest === undefined ? new Date(0) : new Date(this.newest.getTime() - OVERLAP_MS);
    const { rows } = await this.pool.query<Row>(
      "SELECT game_id, player_id, reason, lifted_at, changed_at FROM player_suppressions WHERE changed_at >= $1 ORDER BY changed_at",
      [since],
    );
    for (const r of rows) {
      const key = keyOf(r.game_id, r.player_id);
      const reasons = this.active.get(key) ?? new Set<SuppressionReason>();
      if (r.lifted_at === null) reasons.add(r.reason);
      else reasons.delete(r.reason);
      if (reasons.size === 0) this.active.delete(key);
      else this.active.set(key, reasons);
      if (this.newest === undefined || r.changed_at > this.newest) this.newest = r.changed_at;
    }
    this.lastRefreshMs = Date.now();
  }

  /** Loads the set, then refreshes every `intervalMs`; a failed refresh keeps the last set and is reported. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.refresh().catch((err: Error) => this.onError(err)).finally(tick);
      }, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
