// The answers the analytics tests expect, computed from the generated events with plain sets and
// sorts (no incremental bookkeeping, no SQL), so they are independent of the code under test.
import { GenEvent, isoDay } from "./dataset";

const sorted = <T>(xs: Iterable<T>): T[] => [...xs].sort();

export interface Expected {
  days: { day: string; dau: number; newPlayers: number; converted: number; sessions: number; playtime: number; arpdau: Record<string, number> }[];
  revenue: { day: string; currency: string; gross: number; payers: number; first: number }[];
  payingDau: { day: string; n: number }[];
  byDims: { day: string; platform: string; app_version: string; dau: number }[];
  windows: { day: string; wau: number; mau: number }[];
  retention: { cohort: string; n: number; retained: number }[];
  funnels: { path: string; starts: number; fails: number; completes: number; attempts: number }[];
  flows: { flow: string; amount: number }[];
  byType: { event_type: string; n: number }[];
  playerDays: number;
  firstDay: Map<string, string>;
  activeDays: Map<string, Set<string>>;
}

export function expectedMetrics(events: readonly GenEvent[]): Expected {
  const byTime = [...events].sort((a, b) => (a.event.event_time < b.event.event_time ? -1 : a.event.event_time > b.event.event_time ? 1 : a.event.event_id < b.event.event_id ? -1 : 1));
  const activeDays = new Map<string, Set<string>>();
  const firstDay = new Map<string, string>();
  const firstPurchase = new Map<string, GenEvent>();
  const dayDims = new Map<string, string>(); // player/day -> platform/version of the earliest event
  for (const g of byTime) {
    const p = g.event.player_id;
    activeDays.set(p, (activeDays.get(p) ?? new Set()).add(g.day));
    if (!firstDay.has(p)) firstDay.set(p, g.day);
    if (g.event.type === "purchase" && !firstPurchase.has(p)) firstPurchase.set(p, g);
    const k = `${p}/${g.day}`;
    if (!dayDims.has(k)) dayDims.set(k, `${g.event.platform ?? ""}/${g.event.app_version ?? ""}`);
  }
  const allDays = sorted(new Set(events.map((e) => e.day)));
  const playersOn = (day: string) => [...activeDays].filter(([, ds]) => ds.has(day)).map(([p]) => p);
  const on = (day: string) => events.filter((e) => e.day === day);
  const fpDay = (p: string) => firstPurchase.get(p)?.day;

  const revenueRows: Expected["revenue"] = [];
  const days = allDays.map((day) => {
    const evs = on(day);
    const gross: Record<string, number> = {};
    for (const currency of sorted(new Set(evs.flatMap((e) => (e.event.type === "purchase" ? [e.event.currency] : []))))) {
      const buys = evs.filter((e) => e.event.type === "purchase" && e.event.currency === currency);
      const payers = new Set(buys.map((e) => e.event.player_id));
      const first = [...firstPurchase.values()].filter((f) => f.day === day && f.event.type === "purchase" && f.event.currency === currency);
      gross[currency] = buys.reduce((s, e) => s + (e.event.type === "purchase" ? e.event.amount_minor : 0), 0);
      revenueRows.push({ day, currency, gross: gross[currency], payers: payers.size, first: first.reduce((s, f) => s + (f.event.type === "purchase" ? f.event.amount_minor : 0), 0) });
    }
    const dau = playersOn(day).length;
    return {
      day,
      dau,
      newPlayers: [...firstDay.values()].filter((d) => d === day).length,
      converted: [...firstPurchase.values()].filter((f) => f.day === day).length,
      sessions: evs.filter((e) => e.event.type === "session_start").length,
      playtime: evs.reduce((s, e) => s + (e.event.type === "session_end" ? e.event.length_s : 0), 0),
      arpdau: Object.fromEntries(Object.entries(gross).map(([c, g]) => [c, g / dau])),
    };
  });
  const last = allDays[allDays.length - 1];
  const windows: Expected["windows"] = [];
  for (let d = allDays[0]; d <= isoDay(last, 29); d = isoDay(d, 1)) {
    const within = (w: number) => [...activeDays.values()].filter((ds) => [...ds].some((a) => a <= d && a > isoDay(d, -w))).length;
    windows.push({ day: d, wau: within(7), mau: within(30) });
  }
  const retention: Expected["retention"] = [];
  for (const cohort of sorted(new Set(firstDay.values()))) {
    const members = [...firstDay].filter(([, d]) => d === cohort).map(([p]) => p);
    for (let n = 0; isoDay(cohort, n) <= last; n++) {
      const retained = members.filter((p) => activeDays.get(p)!.has(isoDay(cohort, n))).length;
      if (retained > 0) retention.push({ cohort, n, retained });
    }
  }
  const byDims = new Map<string, number>();
  for (const [k, dims] of dayDims) {
    const [, day] = k.split("/");
    byDims.set(`${day}/${dims}`, (byDims.get(`${day}/${dims}`) ?? 0) + 1);
  }
  const funnels = new Map<string, { starts: number; fails: number; completes: number; attempts: number }>();
  const flows = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const { event: e } of events) {
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    if (e.type === "progression") {
      const f = funnels.get(e.levels.join(":")) ?? { starts: 0, fails: 0, completes: 0, attempts: 0 };
      if (e.status === "start") f.starts++;
      if (e.status === "fail") f.fails++;
      if (e.status === "complete") {
        f.completes++;
        f.attempts += e.attempt ?? 0;
      }
      funnels.set(e.levels.join(":"), f);
    }
    if (e.type === "resource") flows.set(e.flow, (flows.get(e.flow) ?? 0) + e.amount);
  }
  return {
    days,
    revenue: revenueRows,
    payingDau: allDays
      .map((day) => ({ day, n: playersOn(day).filter((p) => (fpDay(p) ?? "9999") <= day).length }))
      .filter((x) => x.n > 0),
    byDims: sorted(byDims.keys()).map((k) => {
      const [day, platform, app_version] = k.split("/");
      return { day, platform, app_version, dau: byDims.get(k)! };
    }),
    windows,
    retention,
    funnels: sorted(funnels.keys()).map((path) => ({ path, ...funnels.get(path)! })),
    flows: sorted(flows.keys()).map((flow) => ({ flow, amount: flows.get(flow)! })),
    byType: sorted(byType.keys()).map((event_type) => ({ event_type, n: byType.get(event_type)! })),
    playerDays: dayDims.size,
    firstDay,
    activeDays,
  };
}
