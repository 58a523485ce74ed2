import { createHash } from "node:crypto";

/**
 * The advisory lock of one game's rollups (a signed 64-bit key from the game id). Live batches hold
 * it shared; a rebuild or an erasure holds it exclusively, so it never interleaves with live writes.
 */
export function gameLockKey(gameId: string): string {
  return createHash("sha256").update(`rollups/${gameId}`).digest().readBigInt64BE(0).toString();
}
