// A users pod killed with SIGKILL in the middle of a GDPR step: the step's lease lapses, a new pod
// takes it over and finishes it, and the result holds every record exactly once.
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { Pool } from "pg";
import { answerArchivesEvery300ms, type ArchivesAnswerer } from "../support/retention-handoffs";
import { eventually } from "../support/stack";
import { forgeWithServiceKey, startUsers, testPool, type Users } from "./support";

let pool: Pool;
const game = `g-crash-${randomBytes(3).toString("hex")}`;
const ROWS = 300_000;
const running: Users[] = [];
let retention: ArchivesAnswerer;

beforeAll(async () => {
  pool = testPool();
  retention = answerArchivesEvery300ms(pool, `t-${game}`);
  await pool.query("INSERT INTO games (game_id) VALUES ($1)", [game]);
  await pool.query("SELECT gm_ensure_event_partition((current_date - d)::date) FROM generate_series(0, 3) d");
  await pool.query(
    `INSERT INTO player_events (event_id, event_time, event_day, received_at, game_id, player_id, event_type, payload, src_partition, src_offset)
     SELECT gen_random_uuid(), t, t::date, now(), $1, 'p-big', 'design', '{"design_id":"ui.x"}', 0, i
     FROM generate_series(1, $2::int) i, LATERAL (SELECT now() - (i % 200000) * interval '1 second' AS t) x`,
    [game, ROWS],
  );
});
afterAll(async () => {
  retention?.stop();
  await Promise.all(running.map((u) => u.service.stop()));
  await pool?.end();
});

test("SIGKILL mid-export: another pod resumes the step once the lease lapses; the document has every event once", async () => {
  // The archives step waits for the retention job (answered above); the job looks again within 500 ms.
  const env = { GDPR_LEASE_MS: "3000", GDPR_POLL_MS: "100", GDPR_MAX_BACKOFF_MS: "500" };
  const first = await startUsers("crash-1", { env });
  const token = await forgeWithServiceKey(first, { client_id: "ops", sub: "ops", roles: ["admin"], games: "*" }, 600);
  const r = await fetch(`${first.url}/v1/players/${game}/p-big/export`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  const { requestId } = (await r.json()) as { requestId: string };
  const step = () => pool.query("SELECT status, attempts, locked_until FROM gdpr_request_stores WHERE request_id = $1 AND store = 'raw_events'", [requestId]).then((q) => q.rows[0]);
  await eventually("the raw_events step claimed", async () => ((await step()).locked_until !== null ? true : undefined), 30_000);
  await first.service.kill();
  expect(await step()).toMatchObject({ status: "pending", attempts: 1 });

  // A new pod, with the same keys: the old one's tokens still verify.
  const second = await startUsers("crash-2", { env, pems: first.keys.pems, issuer: first.issuer });
  running.push(second);
  const done = await eventually(
    "the export done",
    async () => {
      const s = (await fetch(`${second.url}/v1/gdpr/requests/${requestId}`, { headers: { authorization: `Bearer ${token}` } }).then((x) => x.json())) as { status: string; stores: { store: string }[] };
      return s.status === "done" ? s : undefined;
    },
    120_000,
  );
  expect(done.stores.find((s) => s.store === "raw_events")).toMatchObject({ status: "done", attempts: 2, exported: ROWS });
  const doc = Buffer.from(await (await fetch(`${second.url}/v1/gdpr/requests/${requestId}/document`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
  const ids = new Set<string>();
  let events = 0;
  for (const line of gunzipSync(doc).toString("utf8").trim().split("\n")) {
    const record = JSON.parse(line) as { store: string; data: { event_id?: string } };
    if (record.store !== "raw_events") continue;
    events++;
    ids.add(record.data.event_id as string);
  }
  expect({ events, distinct: ids.size }).toEqual({ events: ROWS, distinct: ROWS });
});
