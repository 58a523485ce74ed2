// The retention job's side of the GDPR hand-off: the erasure/export job cannot reach the archives
// (only this job's role may rewrite them), so it records an ask in player_data_handoffs; each run
// answers the open asks with the archives store and records the outcome, which completes the job's step.
import type { Pool } from "pg";
import type { Logger } from "../shared/logger";
import { completeHandoff, openHandoffs } from "../shared/player-data/handoff";
import type { ExportRecord, PlayerDataStore } from "../shared/player-data/types";

export interface HandoffSummary {
  readonly answered: number;
  /** Asks that failed this run; they stay open and are tried again on the next run. */
  readonly failed: readonly { readonly requestId: string; readonly error: string }[];
}

export async function answerArchiveHandoffs(pool: Pool, archives: PlayerDataStore, logger: Logger): Promise<HandoffSummary> {
  let answered = 0;
  const failed: { requestId: string; error: string }[] = [];
  for (const h of await openHandoffs(pool, archives.name)) {
    const player = { gameId: h.gameId, playerId: h.playerId, requestId: h.requestId };
    try {
      if (h.step === "erase") {
        await completeHandoff(pool, h, { removed: (await archives.erase(player)).removed });
      } else {
        const records: ExportRecord[] = [];
        await archives.export(player, async (r) => void records.push(r));
        await completeHandoff(pool, h, { records });
      }
      answered++;
    } catch (err) {
      failed.push({ requestId: h.requestId, error: (err as Error).message });
      logger.warn({ err: (err as Error).message, request: h.requestId, step: h.step }, "GDPR hand-off not answered; retried on the next run");
    }
  }
  return { answered, failed };
}
