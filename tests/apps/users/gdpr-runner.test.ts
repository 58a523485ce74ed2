// The GDPR job's worker against real PostgreSQL, with stores that fail, hand off and hang: failures
// are retried until done, a hand-off waits for its owner, a step whose worker died is resumed by
// another once its lease lapses, `after` orders erasures, and every completion is audited.
import { verifyAuditChain } from "../../../apps/shared/audit";
import { createLogger } from "../../../apps/shared/logger";
import type { BuiltStore, PlayerDataStore, PlayerRef } from "../../../apps/shared/player-data";
import { completeHandoff, handedOffStore, openHandoffs } from "../../../apps/shared/player-data/handoff";
import type { GdprSettings } from "../../../apps/users/config";
import { createRequest, requestStatus } from "../../../apps/users/gdpr/requests";
import { GdprRunner } from "../../../apps/users/gdpr/runner";
import { createUsersMetrics } from "../../../apps/users/metrics";
import { type ScratchDb, scratchDatabase } from "../support/scratch-db";

let db: ScratchDb;
beforeEach(async () => (db = await scratchDatabase("gdpr_runner")));
afterEach(async () => db.drop());

const settings: GdprSettings = { slaDays: 30, exportTtlHours: 1, settleMs: 0, pollMs: 20, leaseMs: 400, maxBackoffMs: 50 };
const logger = createLogger("test", "silent");
const player = { gameId: "g1", playerId: "p1" };

/** A store that records its calls and fails its first `failures` erasures. */
function scripted(name: string, failures: number, calls: string[]): PlayerDataStore {
  let left = failures;
  return {
    name,
    export: async () => 0,
    erase: async (p: PlayerRef) => {
      calls.push(name);
      if (left-- > 0) throw new Error(`${name} is down`);
      expect(p).toMatchObject(player);
      return { removed: 2 };
    },
  };
}

async function drain(runner: GdprRunner, requestId: string, until: (s: NonNullable<Awaited<ReturnType<typeof requestStatus>>>) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    await runner.runOnce();
    const s = await requestStatus(db.pool, requestId);
    if (s !== undefined && until(s)) return s;
    if (Date.now() > deadline) throw new Error(`request not there in time: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

test("failures are retried, `after` waits for its store, a hand-off completes once its owner answers", async () => {
  const calls: string[] = [];
  const stores: BuiltStore[] = [
    { store: scripted("raw", 2, calls), after: [] },
    { store: scripted("rollups", 0, calls), after: ["raw"] },
    { store: handedOffStore("archives", db.pool), after: [] },
  ];
  const metrics = createUsersMetrics();
  const runner = new GdprRunner(db.pool, stores, settings, metrics, logger);
  const { requestId } = await createRequest(db.pool, stores, settings, { kind: "erase", ...player, actor: "staff:alice" });

  const waiting = await drain(runner, requestId, (s) => s.stores.filter((x) => x.status === "done").length === 2);
  expect(waiting.status).toBe("running");
  expect(waiting.stores.find((x) => x.store === "raw")).toMatchObject({ status: "done", attempts: 3, removed: 2 });
  expect(waiting.stores.find((x) => x.store === "archives")).toMatchObject({ status: "waiting" });
  expect(calls.indexOf("rollups")).toBeGreaterThan(calls.lastIndexOf("raw"));
  const metricsText = await metrics.registry.metrics();
  expect(metricsText).toMatch(/users_gdpr_oldest_request_seconds_to_due\{kind="erase",service="users"\} (\d+)/);
  const secondsToDue = Number(/users_gdpr_oldest_request_seconds_to_due\{kind="erase",service="users"\} (\d+)/.exec(metricsText)?.[1]);
  expect(Math.abs(secondsToDue - 30 * 86_400)).toBeLessThan(120);

  // The retention job's side of the hand-off.
  const [ask] = await openHandoffs(db.pool, "archives");
  expect(ask).toMatchObject({ requestId, step: "erase", ...player });
  await completeHandoff(db.pool, ask, { removed: 7 });
  await db.pool.query("UPDATE gdpr_request_stores SET next_attempt_at = now() WHERE store = 'archives'");
  const done = await drain(runner, requestId, (s) => s.status === "done");
  expect(done.stores.find((x) => x.store === "archives")).toMatchObject({ status: "done", removed: 7 });

  const { rows } = await db.pool.query("SELECT action, details->>'store' AS store FROM audit_log ORDER BY seq");
  expect(rows.map((r) => r.action)).toEqual(["gdpr.erase.requested", "gdpr.erase.store_done", "gdpr.erase.store_done", "gdpr.erase.store_done", "gdpr.erase.completed"]);
  expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true, entries: 5 });
  const suppressed = await db.pool.query("SELECT reason FROM player_suppressions WHERE game_id = 'g1' AND player_id = 'p1' AND lifted_at IS NULL");
  expect(suppressed.rows).toEqual([{ reason: "erasure" }]);
});

test("a step whose worker died is taken over by another worker once its lease lapses", async () => {
  let erased = 0;
  const stuck: PlayerDataStore = { name: "raw", export: async () => 0, erase: () => new Promise(() => undefined) };
  const healthy: PlayerDataStore = { name: "raw", export: async () => 0, erase: async () => ({ removed: ++erased }) };
  const { requestId } = await createRequest(db.pool, [{ store: stuck, after: [] }], settings, { kind: "erase", ...player, actor: "staff:alice" });
  const dead = new GdprRunner(db.pool, [{ store: stuck, after: [] }], settings, createUsersMetrics(), logger);
  void dead.runOnce(); // claims the step and never finishes it, like a worker killed mid-step
  await new Promise((r) => setTimeout(r, 100));
  const survivor = new GdprRunner(db.pool, [{ store: healthy, after: [] }], settings, createUsersMetrics(), logger);
  expect(await survivor.runOnce()).toBe(0); // still leased
  const done = await drain(survivor, requestId, (s) => s.status === "done");
  expect(done.stores[0]).toMatchObject({ status: "done", attempts: 2, removed: 1 });
  expect(erased).toBe(1);
});

test("asking to erase a player twice while the first erasure runs returns the same request", async () => {
  const stores: BuiltStore[] = [{ store: scripted("raw", 0, []), after: [] }];
  const a = await createRequest(db.pool, stores, settings, { kind: "erase", ...player, actor: "staff:alice" });
  const b = await createRequest(db.pool, stores, settings, { kind: "erase", ...player, actor: "staff:bob" });
  expect(b).toEqual({ requestId: a.requestId, created: false });
});
