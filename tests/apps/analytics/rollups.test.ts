// The rollups against real PostgreSQL: a generated multi-day dataset stored in shuffled batches (so
// late events move first days, first purchases and a day's dimensions), some batches delivered
// twice; the counters must equal answers computed here from the generated events with plain sets,
// and a rebuild from player_events must reproduce every live rollup row.
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { createApiKey } from "../../../apps/shared/apikeys";
import { inTransaction } from "../../../apps/shared/pg";
import { rollupsStore } from "../../../apps/shared/player-data/rollups";
import type { ExportRecord } from "../../../apps/shared/player-data/types";
import { gameLockKey } from "../../../apps/shared/rollups/locks";
import { dayRange, rebuildDays } from "../../../apps/shared/rollups/rebuild";
import { testEnv } from "../support/env";
import { generate, isoDay, rng } from "./support/dataset";
import { expectedMetrics } from "./support/expected";
import { dumpRollups, rowsOf, storeBatch } from "./support/store";

const run = randomBytes(3).toString("hex");
const game = `rollups-${run}`;
let pool: Pool;
const START = isoDay(new Date().toISOString().slice(0, 10), -20);
const events = generate({ startDay: START, days: 14, players: 60, seed: 7 });
const exp = expectedMetrics(events);

beforeAll(async () => {
  pool = new Pool({ connectionString: testEnv("databaseUrl"), max: 4 });
  await createApiKey(pool, game);
  // Shuffled into batches of 97: a player's later days and later events often come first.
  const r = rng(11);
  const order = events.map((e, i) => ({ e, k: r(), i })).sort((a, b) => a.k - b.k);
  const rows = rowsOf(game, order.map((o) => o.e.event));
  for (let i = 0; i < rows.length; i += 97) {
    const batch = rows.slice(i, i + 97);
    expect(await storeBatch(pool, batch)).toBe(batch.length);
    // Every third batch is delivered again (a processor that crashed before committing offsets).
    if ((i / 97) % 3 === 0) expect(await storeBatch(pool, batch)).toBe(0);
  }
});

afterAll(async () => {
  await pool.end();
});

test("daily active, new and paying players and revenue equal the answers computed from the events", async () => {
  const { rows } = await pool.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(dau)::int AS dau, sum(new_players)::int AS new, sum(converted)::int AS converted,
       sum(sessions)::int AS sessions, sum(playtime_s)::int AS playtime
     FROM rollup_game_days WHERE game_id = $1 GROUP BY 1 ORDER BY 1`, [game]);
  expect(rows).toEqual(exp.days.map((d) => ({ day: d.day, dau: d.dau, new: d.newPlayers, converted: d.converted, sessions: d.sessions, playtime: d.playtime })));
  const rev = await pool.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, currency, sum(gross_minor)::int AS gross, sum(payers)::int AS payers, sum(first_time_minor)::int AS first
     FROM rollup_game_day_revenue WHERE game_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [game]);
  expect(rev.rows).toEqual(exp.revenue);
  const paying = await pool.query(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(dau)::int AS n FROM rollup_game_days WHERE game_id = $1 AND paying GROUP BY 1 ORDER BY 1", [game]);
  expect(paying.rows).toEqual(exp.payingDau);
});

test("breakdowns by platform and app version add up per player-day, by the day's earliest event", async () => {
  const { rows } = await pool.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, platform, app_version, sum(dau)::int AS dau FROM rollup_game_days WHERE game_id = $1
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, [game]);
  expect(rows).toEqual(exp.byDims);
});

test("7- and 30-day active players and the retention cohorts equal the answers computed from the events", async () => {
  const { rows } = await pool.query(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, wau, mau FROM rollup_game_windows WHERE game_id = $1 ORDER BY 1", [game]);
  expect(rows).toEqual(exp.windows);
  const ret = await pool.query(
    "SELECT to_char(cohort_day, 'YYYY-MM-DD') AS cohort, (day - cohort_day) AS n, retained FROM rollup_retention WHERE game_id = $1 ORDER BY 1, 2", [game]);
  expect(ret.rows).toEqual(exp.retention);
});

test("funnels, resource flows, design and error counters equal the answers computed from the events", async () => {
  const f = await pool.query(
    "SELECT path, sum(starts)::int AS starts, sum(fails)::int AS fails, sum(completes)::int AS completes, sum(attempts_sum)::int AS attempts FROM rollup_progression WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [game]);
  expect(f.rows).toEqual(exp.funnels);
  const r = await pool.query("SELECT flow, sum(amount)::float8 AS amount FROM rollup_resources WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [game]);
  expect(r.rows).toEqual(exp.flows);
  const h = await pool.query("SELECT event_type, sum(events)::int AS n FROM rollup_game_hours WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [game]);
  expect(h.rows).toEqual(exp.byType);
});

test("a rebuild from player_events reproduces every live rollup row", async () => {
  const live = await dumpRollups(pool, game);
  expect(live.rollup_player_days.length).toBe(exp.playerDays);
  const last = exp.days[exp.days.length - 1].day;
  const result = await inTransaction(pool, async (c) => {
    // Wipe first, so rows the rebuild failed to produce would show.
    for (const t of Object.keys(live)) await c.query(`DELETE FROM ${t} WHERE game_id = $1`, [game]);
    return rebuildDays(c, game, dayRange(exp.days[0].day, last));
  });
  expect(result.playerDays).toBe(exp.playerDays);
  const rebuilt = await dumpRollups(pool, game);
  for (const t of Object.keys(live)) expect({ table: t, rows: rebuilt[t] }).toEqual({ table: t, rows: live[t] });
});

test("a rebuild (the game's lock held exclusively) holds live batches of that game back until it commits", async () => {
  const holder = await pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock($1::bigint)", [gameLockKey(game)]);
    let done = false;
    const batch = storeBatch(pool, rowsOf(game, [{ type: "design", player_id: "p-late", design_id: "x" }], 1_000_000)).then((n) => ((done = true), n));
    await new Promise((r) => setTimeout(r, 700));
    expect(done).toBe(false);
    await holder.query("COMMIT");
    expect(await batch).toBe(1);
  } finally {
    holder.release();
  }
  await pool.query("DELETE FROM player_events WHERE game_id = $1 AND player_id = 'p-late'", [game]);
  await inTransaction(pool, (c) => rebuildDays(c, game, [new Date().toISOString().slice(0, 10)]));
});

test("GDPR: the rollups store exports a player's rows, and erasing them rebuilds the days as if the player never played", async () => {
  const store = rollupsStore(pool);
  const victim = "p3";
  const player = { gameId: game, playerId: victim };
  const exported: ExportRecord[] = [];
  const n = await store.export(player, async (r) => void exported.push(r));
  const victimDays = exp.activeDays.get(victim)!;
  expect(n).toBe(1 + victimDays.size);
  expect(exported.filter((r) => r.kind === "player_day").map((r) => r.data.day)).toEqual([...victimDays].sort());

  const erased = await store.erase(player);
  expect(erased.removed).toBe(1 + victimDays.size);
  expect(erased.rebuilt).toEqual([...victimDays].sort().map((d) => `${game}/${d}`));
  // The raw rows are still there (the raw_events store is erased on its own), yet no counter counts the player.
  const without = expectedMetrics(events.filter((e) => e.event.player_id !== victim));
  const { rows } = await pool.query(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(dau)::int AS dau, sum(new_players)::int AS new FROM rollup_game_days WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [game]);
  expect(rows).toEqual(without.days.map((d) => ({ day: d.day, dau: d.dau, new: d.newPlayers })));
  const windows = await pool.query("SELECT to_char(day, 'YYYY-MM-DD') AS day, wau, mau FROM rollup_game_windows WHERE game_id = $1 ORDER BY 1", [game]);
  expect(windows.rows).toEqual(without.windows.filter((w) => w.mau > 0));
  const f = await pool.query("SELECT path, sum(starts)::int AS starts FROM rollup_progression WHERE game_id = $1 GROUP BY 1 ORDER BY 1", [game]);
  expect(f.rows).toEqual(without.funnels.map((x) => ({ path: x.path, starts: x.starts })));
  expect(await store.export(player, async () => undefined)).toBe(0);
  expect(await store.erase(player)).toEqual({ removed: 0, rebuilt: [] });
});
