// Player profiles: written by game servers; every consent change is kept with its time and source,
// and analytics consent drives ingestion's suppression of the player's new events.
import type { Pool, PoolClient } from "pg";
import { liftSuppression, suppress } from "../shared/player-data/suppression";

export interface ProfilePatch {
  readonly displayName?: string | null;
  readonly country?: string | null;
  readonly language?: string | null;
  readonly marketingConsent?: boolean;
  readonly analyticsConsent?: boolean;
}

export interface Profile {
  readonly gameId: string;
  readonly playerId: string;
  readonly displayName: string | null;
  readonly country: string | null;
  readonly language: string | null;
  readonly marketingConsent: boolean;
  readonly analyticsConsent: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface Row {
  game_id: string;
  player_id: string;
  display_name: string | null;
  country: string | null;
  language: string | null;
  marketing_consent: boolean;
  analytics_consent: boolean;
  created_at: Date;
  updated_at: Date;
}

const toProfile = (r: Row): Profile => ({
  gameId: r.game_id,
  playerId: r.player_id,
  displayName: r.display_name,
  country: r.country,
  language: r.language,
  marketingConsent: r.marketing_consent,
  analyticsConsent: r.analytics_consent,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Pure: the consent changes a patch makes to the current flags (all flags it names, for a new profile). */
export function consentChanges(before: Pick<Profile, "marketingConsent" | "analyticsConsent"> | undefined, patch: ProfilePatch): { purpose: "marketing" | "analytics"; granted: boolean }[] {
  const out: { purpose: "marketing" | "analytics"; granted: boolean }[] = [];
  if (patch.marketingConsent !== undefined && patch.marketingConsent !== before?.marketingConsent) out.push({ purpose: "marketing", granted: patch.marketingConsent });
  if (patch.analyticsConsent !== undefined && patch.analyticsConsent !== before?.analyticsConsent) out.push({ purpose: "analytics", granted: patch.analyticsConsent });
  return out;
}

export async function upsertProfile(c: PoolClient, gameId: string, playerId: string, patch: ProfilePatch, source: string): Promise<Profile> {
  const before = await c.query<Row>("SELECT * FROM player_profiles WHERE game_id = $1 AND player_id = $2 FOR UPDATE", [gameId, playerId]);
  const prev = before.rows[0] === undefined ? undefined : toProfile(before.rows[0]);
  const merged = {
    displayName: patch.displayName !== undefined ? patch.displayName : (prev?.displayName ?? null),
    country: patch.country !== undefined ? patch.country : (prev?.country ?? null),
    language: patch.language !== undefined ? patch.language : (prev?.language ?? null),
    marketingConsent: patch.marketingConsent ?? prev?.marketingConsent ?? false,
    analyticsConsent: patch.analyticsConsent ?? prev?.analyticsConsent ?? true,
  };
  const { rows } = await c.query<Row>(
    `INSERT INTO player_profiles (game_id, player_id, display_name, country, language, marketing_consent, analytics_consent)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (game_id, player_id) DO UPDATE SET display_name = EXCLUDED.display_name, country = EXCLUDED.country, language = EXCLUDED.language,
       marketing_consent = EXCLUDED.marketing_consent, analytics_consent = EXCLUDED.analytics_consent, updated_at = now()
     RETURNING *`,
    [gameId, playerId, merged.displayName, merged.country, merged.language, merged.marketingConsent, merged.analyticsConsent],
  );
  for (const change of consentChanges(prev, patch)) {
    await c.query("INSERT INTO player_consent_changes (game_id, player_id, purpose, granted, source) VALUES ($1, $2, $3, $4, $5)", [gameId, playerId, change.purpose, change.granted, source]);
    if (change.purpose === "analytics") {
      if (change.granted) await liftSuppression(c, gameId, playerId, "consent");
      else await suppress(c, gameId, playerId, "consent");
    }
  }
  return toProfile(rows[0]);
}

export async function findProfile(pool: Pool, gameId: string, playerId: string): Promise<(Profile & { consentHistory: { purpose: string; granted: boolean; source: string; changedAt: Date }[] }) | undefined> {
  const { rows } = await pool.query<Row>("SELECT * FROM player_profiles WHERE game_id = $1 AND player_id = $2", [gameId, playerId]);
  if (rows[0] === undefined) return undefined;
  const history = await pool.query<{ purpose: string; granted: boolean; source: string; changed_at: Date }>(
    "SELECT purpose, granted, source, changed_at FROM player_consent_changes WHERE game_id = $1 AND player_id = $2 ORDER BY change_id",
    [gameId, playerId],
  );
  return { ...toProfile(rows[0]), consentHistory: history.rows.map((h) => ({ purpose: h.purpose, granted: h.granted, source: h.source, changedAt: h.changed_at })) };
}
