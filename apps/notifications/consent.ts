// What the identity side says about a player before anything is sent: erased or without consent
// (suppressed: nothing at all), and whether they gave marketing consent. The users service owns both
// tables (player_suppressions, player_profiles); this is the one place that reads them.
import type { Pool } from "pg";
import type { Consent } from "./model";

export interface ConsentSource {
  /** Every player asked for gets an answer. */
  lookup(gameId: string, playerIds: readonly string[]): Promise<Map<string, Consent>>;
}

/** Read at the moment of decision: an erasure requested a second ago already stops the next send. */
export function postgresConsent(pool: Pool): ConsentSource {
  return {
    lookup: async (gameId, playerIds) => {
      const { rows } = await pool.query<{ player_id: string; suppressed: boolean; marketing: boolean | null }>(
        `SELECT p.player_id,
                EXISTS (SELECT 1 FROM player_suppressions s WHERE s.game_id = $1 AND s.player_id = p.player_id AND s.lifted_at IS NULL) AS suppressed,
                (SELECT pr.marketing_consent FROM player_profiles pr WHERE pr.game_id = $1 AND pr.player_id = p.player_id) AS marketing
         FROM unnest($2::text[]) AS p(player_id)`,
        [gameId, [...new Set(playerIds)]],
      );
      return new Map(rows.map((r) => [r.player_id, { suppressed: r.suppressed, marketingConsent: r.marketing ?? undefined }]));
    },
  };
}
