// A player's data lives in named stores (raw events, stats, rollups, Redis keys, vectors,
// notifications, archives). Each store offers the same two steps, so a GDPR export or erasure is a
// fan-out over the list with a status per store; adding a store is adding it to that list.
// Implementations live in this folder, one file per store, written by the data's owner; the list of
// stores the GDPR job fans out over is this folder's index.ts.

export interface PlayerRef {
  readonly gameId: string;
  readonly playerId: string;
  /** The GDPR request this step belongs to, when the job runs it: stores that hand work over key it by this. */
  readonly requestId?: string;
}

/** One record of an export: the store it came from and the row or object as JSON. */
export interface ExportRecord {
  readonly store: string;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EraseResult {
  /** Rows, keys, points or objects removed (0 when there was nothing left: erasure is idempotent). */
  readonly removed: number;
  /** Derived data the store rebuilt afterwards (e.g. rollup days), for the job's report. */
  readonly rebuilt?: readonly string[];
}

export interface PlayerDataStore {
  /** Stable name: the job records a status per store under it (`raw_events`, `player_stats`, ...). */
  readonly name: string;
  /** Streams every record of the player to `emit`; returns how many it emitted. */
  export(player: PlayerRef, emit: (r: ExportRecord) => Promise<void>): Promise<number>;
  /** Deletes every record of the player. Idempotent and safe to re-run after a crash. */
  erase(player: PlayerRef): Promise<EraseResult>;
}
