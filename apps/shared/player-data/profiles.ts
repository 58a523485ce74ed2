// The users service's player data: the profile game servers write and every consent change.
import type { Pool } from "pg";
import { sqlStore } from "./sql-store";
import type { PlayerDataStore } from "./types";

export const profilesStore = (pool: Pool): PlayerDataStore =>
  sqlStore("profiles", pool, [
    { kind: "profile", table: "player_profiles", keyColumns: ["player_id"] },
    { kind: "consent_change", table: "player_consent_changes", keyColumns: ["change_id"] },
  ]);
