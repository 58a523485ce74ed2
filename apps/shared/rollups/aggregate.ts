// Pure pre-aggregation of one batch of newly stored events: per player-day and per player partial
// states, and the purely additive counters (hours, session bins, funnels, flows, design, errors).
import { sessionBin } from "./bins";
import { DayState, earlier, FirstPurchase, hourOf, keyOf, num, orderOf, Revenue, StoredEvent, text } from "./model";

export interface PlayerPartial {
  readonly gameId: string;
  readonly playerId: string;
  minDay: string;
  firstPurchase: FirstPurchase | null;
}

export interface DayPartial {
  readonly gameId: string;
  readonly playerId: string;
  readonly day: string;
  state: DayState;
}

export interface Counter<T> {
  readonly parts: readonly string[];
  value: T;
}

export interface Funnel {
  readonly starts: number;
  readonly fails: number;
  readonly completes: number;
  readonly attemptsSum: number;
  readonly attemptsN: number;
}

/** What one batch adds; numeric amounts stay decimal text so PostgreSQL sums them exactly. */
export interface BatchPartials {
  readonly games: Set<string>;
  readonly players: Map<string, PlayerPartial>;
  readonly days: Map<string, DayPartial>;
  readonly hours: Map<string, Counter<{ readonly events: number; readonly amount: number }>>;
  readonly sessionBins: Map<string, Counter<number>>;
  readonly progression: Map<string, Counter<Funnel>>;
  /** [game, day, flow, currency, item_type, amount] per resource event. */
  readonly resources: string[][];
  /** [game, day, design_id, value or ""] per design event. */
  readonly design: string[][];
  readonly errors: Map<string, Counter<number>>;
}

export function mergeRevenue(a: Revenue, b: Revenue): Revenue {
  const out: Revenue = { ...a };
  for (const [c, [m, n]] of Object.entries(b)) {
    const cur = out[c] ?? [0, 0];
    out[c] = [cur[0] + m, cur[1] + n];
  }
  return out;
}

/** Two partial states of the same player-day as one: counters add, dimensions of the earlier event win. */
export function mergeDay(a: DayState, b: DayState): DayState {
  const first = earlier(b.first, a.first) ? b : a;
  return {
    platform: first.platform,
    appVersion: first.appVersion,
    first: first.first,
    events: a.events + b.events,
    sessions: a.sessions + b.sessions,
    sessionEnds: a.sessionEnds + b.sessionEnds,
    playtimeS: a.playtimeS + b.playtimeS,
    revenue: mergeRevenue(a.revenue, b.revenue),
  };
}

export function earlierPurchase(a: FirstPurchase | null, b: FirstPurchase | null): FirstPurchase | null {
  if (a === null) return b;
  if (b === null) return a;
  return earlier(b, a) ? b : a;
}

function bump<T>(map: Map<string, Counter<T>>, parts: string[], init: T, add: (v: T) => T): void {
  const k = keyOf(...parts);
  const c = map.get(k);
  if (c === undefined) map.set(k, { parts, value: add(init) });
  else c.value = add(c.value);
}

function dayStateOf(e: StoredEvent): DayState {
  const p = e.payload;
  const isPurchase = e.event_type === "purchase";
  const minor = num(p, "amount_minor") ?? 0;
  return {
    platform: e.platform ?? "",
    appVersion: e.app_version ?? "",
    first: orderOf(e),
    events: 1,
    sessions: e.event_type === "session_start" ? 1 : 0,
    sessionEnds: e.event_type === "session_end" ? 1 : 0,
    playtimeS: e.event_type === "session_end" ? (num(p, "length_s") ?? 0) : 0,
    revenue: isPurchase ? { [text(p, "currency")]: [minor, 1] } : {},
  };
}

function addAdditive(b: BatchPartials, e: StoredEvent): void {
  const g = e.game_id;
  const day = e.event_day;
  const p = e.payload;
  const isPurchase = e.event_type === "purchase";
  bump(b.hours, [g, hourOf(e.event_time), e.event_type, e.platform ?? "", e.app_version ?? "", isPurchase ? text(p, "currency") : ""],
    { events: 0, amount: 0 }, (v) => ({ events: v.events + 1, amount: v.amount + (isPurchase ? (num(p, "amount_minor") ?? 0) : 0) }));
  switch (e.event_type) {
    case "session_end":
      bump(b.sessionBins, [g, day, String(sessionBin(num(p, "length_s") ?? 0))], 0, (n) => n + 1);
      break;
    case "progression": {
      const levels = Array.isArray(p.levels) ? p.levels.filter((l): l is string => typeof l === "string") : [];
      const status = text(p, "status");
      const attempt = num(p, "attempt");
      const done = status === "complete";
      bump(b.progression, [g, day, levels.join(":")], { starts: 0, fails: 0, completes: 0, attemptsSum: 0, attemptsN: 0 }, (v) => ({
        starts: v.starts + (status === "start" ? 1 : 0),
        fails: v.fails + (status === "fail" ? 1 : 0),
        completes: v.completes + (done ? 1 : 0),
        attemptsSum: v.attemptsSum + (done && attempt !== undefined ? attempt : 0),
        attemptsN: v.attemptsN + (done && attempt !== undefined ? 1 : 0),
      }));
      break;
    }
    case "resource":
      b.resources.push([g, day, text(p, "flow"), text(p, "currency"), text(p, "item_type"), String(num(p, "amount") ?? 0)]);
      break;
    case "design": {
      const value = num(p, "value");
      b.design.push([g, day, text(p, "design_id"), value === undefined ? "" : String(value)]);
      break;
    }
    case "error":
      bump(b.errors, [g, day, text(p, "severity")], 0, (n) => n + 1);
      break;
    default:
  }
}

export function aggregate(events: readonly StoredEvent[]): BatchPartials {
  const b: BatchPartials = {
    games: new Set(),
    players: new Map(),
    days: new Map(),
    hours: new Map(),
    sessionBins: new Map(),
    progression: new Map(),
    resources: [],
    design: [],
    errors: new Map(),
  };
  for (const e of events) {
    b.games.add(e.game_id);
    const pk = keyOf(e.game_id, e.player_id);
    const purchase: FirstPurchase | null =
      e.event_type === "purchase" ? { ...orderOf(e), day: e.event_day, currency: text(e.payload, "currency"), minor: num(e.payload, "amount_minor") ?? 0 } : null;
    const pl = b.players.get(pk);
    if (pl === undefined) b.players.set(pk, { gameId: e.game_id, playerId: e.player_id, minDay: e.event_day, firstPurchase: purchase });
    else {
      if (e.event_day < pl.minDay) pl.minDay = e.event_day;
      pl.firstPurchase = earlierPurchase(pl.firstPurchase, purchase);
    }
    const dk = keyOf(e.game_id, e.player_id, e.event_day);
    const d = b.days.get(dk);
    const s = dayStateOf(e);
    if (d === undefined) b.days.set(dk, { gameId: e.game_id, playerId: e.player_id, day: e.event_day, state: s });
    else d.state = mergeDay(d.state, s);
    addAdditive(b, e);
  }
  return b;
}
