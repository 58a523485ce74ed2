// The first screen for a game: live tiles, the range's headline figures, and DAU / new players and
// revenue over time at the chosen granularity, filtered by platform and app version.
import { useMemo } from "react";
import { Chart } from "../components/Chart";
import { LiveTiles } from "../components/LiveTiles";
import { View } from "../components/State";
import { dimensionFilter, type Filters } from "../filters";
import { count, decimal, money, percent } from "../format";
import { useQuery } from "../use-query";

interface OverviewData {
  game: {
    activePlayers: { bucket: string; dau: number; newPlayers: number }[];
    activeWindows: { day: string; wau: number; mau: number; stickiness: number | null }[];
    revenue: { bucket: string; currency: string; grossMinor: number }[];
    sessionLengths: { sessions: number; avgLengthS: number | null };
  };
}

interface TrendsData {
  game: { activePlayers: { bucket: string; dau: number; newPlayers: number }[]; revenue: { bucket: string; currency: string; grossMinor: number }[] };
}

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626"];

/** Revenue summed per currency (never across currencies). */
export function perCurrency(rows: readonly { currency: string; grossMinor: number }[]): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.currency, (m.get(r.currency) ?? 0) + r.grossMinor);
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}

function Headline({ data }: { data: OverviewData }) {
  const g = data.game;
  const last = g.activeWindows[g.activeWindows.length - 1];
  const lastDau = g.activePlayers[g.activePlayers.length - 1];
  const revenue = perCurrency(g.revenue);
  return (
    <dl className="tiles">
      <div className="tile" data-metric="dau">
        <dt>DAU ({lastDau?.bucket ?? "–"})</dt>
        <dd>{lastDau === undefined ? "0" : count(lastDau.dau)}</dd>
      </div>
      <div className="tile" data-metric="mau">
        <dt>MAU</dt>
        <dd>{last === undefined ? "0" : count(last.mau)}</dd>
      </div>
      <div className="tile" data-metric="stickiness">
        <dt>Stickiness</dt>
        <dd>{percent(last?.stickiness)}</dd>
      </div>
      <div className="tile" data-metric="new-players">
        <dt>New players</dt>
        <dd>{count(g.activePlayers.reduce((s, p) => s + p.newPlayers, 0))}</dd>
      </div>
      <div className="tile" data-metric="sessions">
        <dt>Sessions</dt>
        <dd>{count(g.sessionLengths.sessions)}</dd>
      </div>
      <div className="tile" data-metric="revenue">
        <dt>Revenue</dt>
        <dd>{revenue.length === 0 ? "none" : revenue.map(([c, v]) => money(v, c)).join(" · ")}</dd>
      </div>
    </dl>
  );
}

function Trends({ data }: { data: TrendsData }) {
  const { activePlayers, revenue } = data.game;
  const buckets = useMemo(() => activePlayers.map((p) => p.bucket), [activePlayers]);
  const players = useMemo(() => [
    { label: "DAU", values: activePlayers.map((p) => p.dau), color: COLORS[0] },
    { label: "New players", values: activePlayers.map((p) => p.newPlayers), color: COLORS[1] },
  ], [activePlayers]);
  const revBuckets = useMemo(() => [...new Set(revenue.map((r) => r.bucket))].sort(), [revenue]);
  const revSeries = useMemo(
    () =>
      [...new Set(revenue.map((r) => r.currency))]
        .sort()
        .map((c, i) => ({ label: `${c} (major units)`, color: COLORS[i % COLORS.length], values: revBuckets.map((b) => (revenue.find((r) => r.bucket === b && r.currency === c)?.grossMinor ?? 0) / 100) })),
    [revenue, revBuckets],
  );
  return (
    <div className="charts">
      <figure>
        <Chart title="Active and new players" buckets={buckets} series={players} />
        <table aria-label="Active and new players per bucket">
          <thead><tr><th scope="col">Bucket</th><th scope="col">DAU</th><th scope="col">New</th></tr></thead>
          <tbody>{activePlayers.map((p) => <tr key={p.bucket}><td>{p.bucket}</td><td>{decimal(p.dau)}</td><td>{count(p.newPlayers)}</td></tr>)}</tbody>
        </table>
      </figure>
      <figure>
        {revBuckets.length === 0 ? <p className="state empty">No revenue in this range.</p> : <Chart title="Revenue" buckets={revBuckets} series={revSeries} />}
      </figure>
    </div>
  );
}

export function Overview({ game, filters }: { game: string; filters: Filters }) {
  const overview = useQuery<OverviewData>("overview", { game, range: filters.range });
  const trends = useQuery<TrendsData>("trends", { game, range: filters.range, granularity: filters.granularity, filter: dimensionFilter(filters) });
  return (
    <>
      <LiveTiles game={game} />
      <section aria-labelledby="range-h">
        <h2 id="range-h">
          {filters.range.from} to {filters.range.to}
        </h2>
        <View state={overview} what="figures" isEmpty={() => false}>{(d) => <Headline data={d} />}</View>
        <View state={trends} what="activity" isEmpty={(d) => d.game.activePlayers.length === 0 && d.game.revenue.length === 0}>{(d) => <Trends data={d} />}</View>
      </section>
    </>
  );
}
