// Pure: given what a batch added and the stored state it touches, the new player and player-day
// states and the exact changes of every per-game counter. A player-day contributes to the counters
// of its bucket; when its state or its player's state changes, its old contribution is taken back
// and the new one added, so late events (an earlier first event, an earlier purchase) move counts
// between buckets instead of double-counting them.
import { earlierPurchase, mergeDay, type BatchPartials } from "./aggregate";
import { addDays, DayState, keyOf, PlayerState } from "./model";

export interface DayCounters {
  dau: number;
  newPlayers: number;
  converted: number;
  sessions: number;
  sessionEnds: number;
  playtimeS: number;
  events: number;
}

export interface RevenueCounters {
  gross: number;
  purchases: number;
  payers: number;
  firstTime: number;
}

export interface Delta<T> {
  readonly parts: readonly string[];
  readonly value: T;
}

export interface CounterDeltas {
  /** [game, day, platform, app_version, paying "true"/"false"] */
  readonly gameDays: Map<string, Delta<DayCounters>>;
  /** [game, day, platform, app_version, currency] */
  readonly revenue: Map<string, Delta<RevenueCounters>>;
  /** [game, cohort_day, day] */
  readonly retention: Map<string, Delta<{ retained: number }>>;
  /** [game, day] */
  readonly windows: Map<string, Delta<{ wau: number; mau: number }>>;
}

export const emptyDeltas = (): CounterDeltas => ({ gameDays: new Map(), revenue: new Map(), retention: new Map(), windows: new Map() });

function add<T extends object>(map: Map<string, Delta<T>>, parts: string[], value: T, sign: 1 | -1): void {
  const k = keyOf(...parts);
  const cur = map.get(k);
  const next = { ...(cur?.value ?? value) } as Record<string, number>;
  for (const [f, v] of Object.entries(value as Record<string, number>)) next[f] = (cur === undefined ? 0 : next[f]) + sign * v;
  map.set(k, { parts, value: next as T });
}

/** Adds (sign 1) or takes back (-1) what one player-day contributes to the per-game counters. */
export function contribute(out: CounterDeltas, sign: 1 | -1, gameId: string, player: PlayerState, day: string, d: DayState): void {
  const fp = player.firstPurchase;
  const paying = fp !== null && fp.day <= day;
  const dims = [gameId, day, d.platform, d.appVersion];
  add(out.gameDays, [...dims, String(paying)], {
    dau: 1,
    newPlayers: player.firstDay === day ? 1 : 0,
    converted: fp !== null && fp.day === day ? 1 : 0,
    sessions: d.sessions,
    sessionEnds: d.sessionEnds,
    playtimeS: d.playtimeS,
    events: d.events,
  }, sign);
  for (const [currency, [gross, purchases]] of Object.entries(d.revenue)) {
    const first = fp !== null && fp.day === day && fp.currency === currency ? fp.minor : 0;
    add(out.revenue, [...dims, currency], { gross, purchases, payers: 1, firstTime: first }, sign);
  }
  add(out.retention, [gameId, player.firstDay, day], { retained: 1 }, sign);
}

/** Existing active days of a player next to a day that is new (from the store, before this batch). */
export interface Neighbours {
  readonly prev: string | null;
  readonly next: string | null;
}

/**
 * A day `a` newly active for a player adds 1 to the W-day window counts of the days d in
 * [a, a+W-1] that no other active day covered: d >= prev+W (prev's window has ended) and d < next.
 * New days of one player are applied in order, each seeing the ones before it.
 */
export function windowDeltas(out: CounterDeltas, gameId: string, newDays: readonly string[], stored: ReadonlyMap<string, Neighbours>): void {
  let before: string | null = null;
  for (const a of [...newDays].sort()) {
    const n = stored.get(a) ?? { prev: null, next: null };
    const prev = before !== null && (n.prev === null || before > n.prev) ? before : n.prev;
    for (const [field, w] of [["wau", 7], ["mau", 30]] as const) {
      let d = prev === null ? a : addDays(prev, w);
      if (d < a) d = a;
      const last = addDays(a, w - 1);
      for (; d <= last && (n.next === null || d < n.next); d = addDays(d, 1)) {
        add(out.windows, [gameId, d], { wau: field === "wau" ? 1 : 0, mau: field === "mau" ? 1 : 0 }, 1);
      }
    }
    before = a;
  }
}

export interface PlayerPlan {
  readonly gameId: string;
  readonly playerId: string;
  readonly old: PlayerState | null;
  readonly next: PlayerState;
}

/** Each batch player's new state; `changed` lists existing players whose first day or first purchase moved. */
export function planPlayers(b: BatchPartials, stored: ReadonlyMap<string, PlayerState>): { plans: PlayerPlan[]; changed: Set<string> } {
  const plans: PlayerPlan[] = [];
  const changed = new Set<string>();
  for (const [pk, p] of b.players) {
    const old = stored.get(pk) ?? null;
    const next: PlayerState =
      old === null
        ? { firstDay: p.minDay, firstPurchase: p.firstPurchase }
        : { firstDay: p.minDay < old.firstDay ? p.minDay : old.firstDay, firstPurchase: earlierPurchase(old.firstPurchase, p.firstPurchase) };
    if (old !== null && (next.firstDay !== old.firstDay || next.firstPurchase !== old.firstPurchase)) changed.add(pk);
    plans.push({ gameId: p.gameId, playerId: p.playerId, old, next });
  }
  return { plans, changed };
}

export interface StoredDays {
  /** Stored state of the batch's player-days (key game/player/day) and of every day of changed players. */
  readonly days: ReadonlyMap<string, DayState>;
  /** Per changed player (key game/player): all their stored days. */
  readonly daysOfChanged: ReadonlyMap<string, readonly string[]>;
  /** Per new player-day (key game/player/day): the stored neighbours. */
  readonly neighbours: ReadonlyMap<string, Neighbours>;
}

export interface BatchPlan {
  readonly players: readonly PlayerPlan[];
  /** Existing players whose first day or first purchase moved (keys game/player): rewritten. */
  readonly changed: ReadonlySet<string>;
  /** Player-days to write with their new state. */
  readonly days: { gameId: string; playerId: string; day: string; state: DayState }[];
  readonly deltas: CounterDeltas;
  /** Some counter went down: rows that reached zero must be removed. */
  readonly shrinks: boolean;
}

export function planBatch(b: BatchPartials, players: readonly PlayerPlan[], changed: ReadonlySet<string>, stored: StoredDays): BatchPlan {
  const deltas = emptyDeltas();
  const byPlayer = new Map<string, PlayerPlan>(players.map((p) => [keyOf(p.gameId, p.playerId), p]));
  const days: BatchPlan["days"] = [];
  const newDays = new Map<string, string[]>();
  let shrinks = changed.size > 0;
  for (const [dk, d] of b.days) {
    const plan = byPlayer.get(keyOf(d.gameId, d.playerId))!;
    const old = stored.days.get(dk);
    const state = old === undefined ? d.state : mergeDay(old, d.state);
    days.push({ gameId: d.gameId, playerId: d.playerId, day: d.day, state });
    if (old === undefined) {
      const pk = keyOf(d.gameId, d.playerId);
      newDays.set(pk, [...(newDays.get(pk) ?? []), d.day]);
    } else if (state.platform !== old.platform || state.appVersion !== old.appVersion) shrinks = true;
    if (changed.has(keyOf(d.gameId, d.playerId))) continue; // handled with the player's other days below
    if (old !== undefined) contribute(deltas, -1, d.gameId, plan.old ?? plan.next, d.day, old);
    contribute(deltas, 1, d.gameId, plan.next, d.day, state);
  }
  // A player whose first day or first purchase moved changes the bucket of every one of their days.
  const written = new Map(days.map((d) => [keyOf(d.gameId, d.playerId, d.day), d.state]));
  for (const pk of changed) {
    const plan = byPlayer.get(pk)!;
    const all = new Set([...(stored.daysOfChanged.get(pk) ?? []), ...(newDays.get(pk) ?? [])]);
    for (const day of all) {
      const dk = keyOf(plan.gameId, plan.playerId, day);
      const old = stored.days.get(dk);
      if (old !== undefined && plan.old !== null) contribute(deltas, -1, plan.gameId, plan.old, day, old);
      contribute(deltas, 1, plan.gameId, plan.next, day, written.get(dk) ?? old!);
    }
  }
  for (const [pk, list] of newDays) {
    const plan = byPlayer.get(pk)!;
    const nb = new Map(list.map((day) => [day, stored.neighbours.get(keyOf(plan.gameId, plan.playerId, day)) ?? { prev: null, next: null }]));
    windowDeltas(deltas, plan.gameId, list, nb);
  }
  return { players, changed, days, deltas, shrinks };
}
