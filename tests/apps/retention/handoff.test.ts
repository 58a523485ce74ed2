// The GDPR job hands the archives to the retention job: its step waits (Deferred) until a real run of
// the retention CLI has rewritten the archives, then completes with what that run removed or exported.
import { randomUUID } from "node:crypto";
import { Deferred, handedOffStore } from "../../../apps/shared/player-data/handoff";
import type { ExportRecord } from "../../../apps/shared/player-data/types";
import { runRetention } from "../../../apps/retention/job";
import { OLD, retentionWorld, runCli, seedDay, type RetentionWorld } from "./support";

const VICTIM = "handed-off";
let w: RetentionWorld;

beforeAll(async () => {
  w = await retentionWorld("handoff", undefined, undefined, 300);
  await seedDay(w.pool, "omega", OLD(50), 400, 20);
  await seedDay(w.pool, "omega", OLD(50), 12, 1, VICTIM);
  await w.pool.query("UPDATE player_events SET player_id = $1 WHERE player_id = $2", [VICTIM, `${VICTIM}0`]);
  await runRetention(w.deps()); // archived and dropped: the victim's rows live only in S3 now
}, 120_000);
afterAll(() => w.close());

it("export and erase wait for the retention run, then complete with its outcome", async () => {
  const store = handedOffStore("archives", w.pool);
  const exportAsk = { gameId: "omega", playerId: VICTIM, requestId: randomUUID() };
  const eraseAsk = { gameId: "omega", playerId: VICTIM, requestId: randomUUID() };
  const records: ExportRecord[] = [];
  await expect(store.export(exportAsk, async (r) => void records.push(r))).rejects.toBeInstanceOf(Deferred);
  expect((await w.pool.query("SELECT count(*)::int AS n FROM player_events")).rows[0].n).toBe(0);

  expect((await runCli(w.env, ["run"])).code).toBe(0);
  expect(await store.export(exportAsk, async (r) => void records.push(r))).toBe(12);
  expect(records.every((r) => r.store === "archives" && r.data.player_id === VICTIM)).toBe(true);

  await expect(store.erase(eraseAsk)).rejects.toBeInstanceOf(Deferred);
  expect((await runCli(w.env, ["run"])).code).toBe(0);
  expect(await store.erase(eraseAsk)).toEqual({ removed: 12 });
  const again: ExportRecord[] = [];
  const later = { gameId: "omega", playerId: VICTIM, requestId: randomUUID() };
  await expect(store.export(later, async (r) => void again.push(r))).rejects.toBeInstanceOf(Deferred);
  expect((await runCli(w.env, ["run"])).code).toBe(0);
  expect(await store.export(later, async (r) => void again.push(r))).toBe(0);
}, 180_000);
