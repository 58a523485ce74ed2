// THE list of stores a player's data lives in: the GDPR job (apps/users/gdpr) exports and erases over
// exactly these. Adding a store is one line in PLAYER_DATA_STORES; its file sits beside this one.
import type { Pool } from "pg";
import { playerRevenueStore, playerStatsStore, rawEventsStore } from "./event-tables";
import { handedOffStore } from "./handoff";
import { remoteStore } from "./http";
import { notificationsStore } from "./notifications";
import { profilesStore } from "./profiles";
import { recommendationStateStore } from "./recommendations";
import { rollupsStore } from "./rollups";
import type { PlayerDataStore } from "./types";

/** What a store may be built from. */
export interface StoreDeps {
  readonly pool: Pool;
  /** Base URLs of the services that serve their stores over http.ts (remoteStore), by app name. */
  readonly serviceUrls: Readonly<Record<string, string>>;
  /** A bearer token with the `service` role, for remote stores. */
  readonly serviceToken: () => Promise<string>;
}

export interface StoreEntry {
  readonly create: (d: StoreDeps) => PlayerDataStore;
  /**
   * The app that serves this store over http.ts: the store is in the list only where that app's URL is
   * configured (the cluster always gives the users service every URL: infra/workloads/env.ts).
   */
  readonly servedBy?: string;
  /** Stores whose erasure must be done first (a rollup rebuild reads the raw rows that remain). */
  readonly after?: readonly string[];
}

export const PLAYER_DATA_STORES: readonly StoreEntry[] = [
  { create: (d) => rawEventsStore(d.pool) },
  { create: (d) => playerStatsStore(d.pool) },
  { create: (d) => playerRevenueStore(d.pool) },
  { create: (d) => profilesStore(d.pool) },
  // Erasure rebuilds the player's rollup days from the raw rows that remain, so raw rows go first.
  { create: (d) => rollupsStore(d.pool), after: ["raw_events"] },
  { create: (d) => notificationsStore(d.pool) },
  // Only the retention job may rewrite the archives: its daily run answers the ask (apps/retention/gdpr.ts).
  { create: (d) => handedOffStore("archives", d.pool) },
  { create: (d) => recommendationStateStore(d.pool) },
  // Cached pages and the player's vector live in the recommendations process (its embedded index).
  { create: (d) => remoteStore("recommendations", d.serviceUrls.recommendations, d.serviceToken), servedBy: "recommendations" },
];

export interface BuiltStore {
  readonly store: PlayerDataStore;
  readonly after: readonly string[];
}

/** Builds the list; refuses duplicate names and `after` naming a store that is not in it. */
export function playerDataStores(d: StoreDeps, entries: readonly StoreEntry[] = PLAYER_DATA_STORES): BuiltStore[] {
  const built = entries.filter((e) => e.servedBy === undefined || d.serviceUrls[e.servedBy] !== undefined).map((e) => ({ store: e.create(d), after: e.after ?? [] }));
  const names = new Set<string>();
  for (const { store } of built) {
    if (names.has(store.name)) throw new Error(`player-data store "${store.name}" is listed twice`);
    names.add(store.name);
  }
  for (const { store, after } of built) {
    const unknown = after.filter((a) => !names.has(a));
    if (unknown.length > 0) throw new Error(`player-data store "${store.name}" runs after ${unknown.join(", ")}, which is not in the list`);
  }
  return built;
}

export type { EraseResult, ExportRecord, PlayerDataStore, PlayerRef } from "./types";
