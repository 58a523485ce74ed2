// Archive + verify + drop of a multi-day dataset against real PostgreSQL and S3Proxy, idempotent
// reruns, restore equality, late events after a drop, and a partition whose archive fails
// verification staying in place. Expected values come from plain SQL over the seeded rows.
import { ParquetReader } from "@dsnp/parquetjs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { manifestKey, partKey } from "../../../apps/shared/archive/layout";
import type { Manifest } from "../../../apps/shared/archive/manifest";
import { listKeys } from "../../../apps/shared/s3/objects";
import { runRetention } from "../../../apps/retention/job";
import { buildReport } from "../../../apps/retention/report";
import { restoreDays } from "../../../apps/retention/restore";
import { HOT_DAY, HOT_DAYS, OLD, partitionExists, retentionWorld, runCli, seedDay, snapshot, type RetentionWorld } from "./support";
import { today } from "../../../apps/shared/archive/layout";

let w: RetentionWorld;
const days = [OLD(0), OLD(1), OLD(2)];
const games = ["alpha", "beta"];

async function objectBytes(key: string): Promise<Buffer> {
  const out = await w.bucket.s3.send(new GetObjectCommand({ Bucket: w.bucket.name, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
const manifestOf = async (game: string, day: string): Promise<Manifest> => JSON.parse((await objectBytes(manifestKey(w.prefix, game, day))).toString()) as Manifest;
const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await w.pool.query<{ n: string }>(sql, params)).rows[0].n);

beforeAll(async () => {
  w = await retentionWorld("archive", undefined, undefined, 1000);
  // 3 expired days x 2 games (2,500 and 700 rows a day: several parts each at 1,000 rows a part) + a hot day.
  for (const day of days) {
    await seedDay(w.pool, "alpha", day, 2500, 300);
    await seedDay(w.pool, "beta", day, 700, 50);
  }
  await seedDay(w.pool, "alpha", HOT_DAY, 100, 10);
  await w.pool.query(
    "INSERT INTO player_stats (game_id, player_id, first_seen, last_seen, events) SELECT game_id, player_id, min(event_time), max(event_time), count(*) FROM player_events GROUP BY 1, 2",
  );
});
afterAll(() => w.close());

describe("retention run over a multi-day dataset", () => {
  let before: string[];
  let stats: string[];
  const expected = new Map<string, number>();

  beforeAll(async () => {
    before = await snapshot(w.pool);
    stats = (await w.pool.query<{ j: string }>("SELECT row_to_json(s)::text AS j FROM player_stats s ORDER BY game_id, player_id")).rows.map((r) => r.j);
    for (const day of days) for (const g of games) expected.set(`${g}/${day}`, await count("SELECT count(*) AS n FROM player_events WHERE game_id = $1 AND event_day = $2", [g, day]));
    const summary = await runRetention(w.deps());
    expect(summary.dropped).toEqual(days.map((d) => `player_events_p${d.replace(/-/g, "")}`));
    expect(summary.pending).toEqual([]);
  });

  it("drops exactly the expired partitions and keeps the hot one", async () => {
    for (const day of days) expect(await partitionExists(w.pool, day)).toBe(false);
    expect(await partitionExists(w.pool, HOT_DAY)).toBe(true);
    expect(await count("SELECT count(*) AS n FROM player_events")).toBe(100);
  });

  it("writes one manifest per game and day whose counts and checksums match the objects, read by a second Parquet reader", async () => {
    for (const [gd, rows] of expected) {
      const [g, day] = gd.split("/");
      const m = await manifestOf(g, day);
      expect(m.rows).toBe(rows);
      expect(m.sourcePartition).toBe(`player_events_p${day.replace(/-/g, "")}`);
      expect(m.parts.map((p) => p.key)).toEqual(Array.from({ length: Math.ceil(rows / 1000) }, (_, n) => partKey(w.prefix, g, day, n)));
      let decoded = 0;
      for (const p of m.parts) {
        const bytes = await objectBytes(p.key);
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(p.sha256);
        const reader = await ParquetReader.openBuffer(bytes);
        decoded += Number(reader.getRowCount());
        await reader.close();
      }
      expect(decoded).toBe(rows);
      expect(m.schema.columns.map((c) => c.name)).toContain("payload");
    }
    // Nothing else under the prefix: no leftovers.
    const keys = await listKeys(w.bucket, `${w.prefix}/`);
    const listed = await Promise.all([...expected.keys()].map(async (gd) => {
      const [g, day] = gd.split("/");
      return [manifestKey(w.prefix, g, day), ...(await manifestOf(g, day)).parts.map((p) => p.key)];
    }));
    expect(keys.sort()).toEqual(listed.flat().sort());
  });

  it("leaves aggregates alone and audits every archive and drop with counts and checksums", async () => {
    expect((await w.pool.query<{ j: string }>("SELECT row_to_json(s)::text AS j FROM player_stats s ORDER BY game_id, player_id")).rows.map((r) => r.j)).toEqual(stats);
    const audit = (await w.pool.query<{ action: string; target: string; details: Record<string, unknown> }>("SELECT action, target, details FROM audit_log ORDER BY seq")).rows;
    const archives = audit.filter((a) => a.action === "retention.archive");
    expect(archives.map((a) => a.target).sort()).toEqual([...expected.keys()].map((k) => `archive:${k}`).sort());
    for (const a of archives) {
      expect(a.details.rows).toBe(expected.get(a.target.slice("archive:".length)));
      expect(a.details.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const drops = audit.filter((a) => a.action === "retention.drop");
    expect(drops.map((d) => d.details.rows)).toEqual(days.map((d) => (expected.get(`alpha/${d}`) ?? 0) + (expected.get(`beta/${d}`) ?? 0)));
  });

  it("reports hot, archived and pending", async () => {
    const r = await buildReport(w.pool, today(), HOT_DAYS);
    expect(r.hot.partitions).toBe(1);
    expect(r.archived).toMatchObject({ days: 6, games: 2, rows: [...expected.values()].reduce((a, b) => a + b, 0), dropped: 6 });
    expect(r.pending).toEqual([]);
  });

  it("is idempotent: a rerun writes nothing and audits nothing new", async () => {
    const etags = await Promise.all((await listKeys(w.bucket, `${w.prefix}/`)).map(async (k) => [k, (await objectBytes(k)).toString("base64")]));
    const auditRows = await count("SELECT count(*) AS n FROM audit_log");
    const again = await runRetention(w.deps());
    expect(again).toMatchObject({ expired: 0, archivedDays: 0, dropped: [] });
    expect(await count("SELECT count(*) AS n FROM audit_log")).toBe(auditRows);
    const now = await Promise.all((await listKeys(w.bucket, `${w.prefix}/`)).map(async (k) => [k, (await objectBytes(k)).toString("base64")]));
    expect(now).toEqual(etags);
  });

  it("restores archived days to identical rows, and a second restore adds nothing", async () => {
    const out = await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 7 }, "alpha", days[0], days[2]);
    expect(out).toEqual(days.map((day) => ({ day, archived: expected.get(`alpha/${day}`), inserted: expected.get(`alpha/${day}`) })));
    await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 7 }, "beta", days[0], days[2]);
    expect(await snapshot(w.pool)).toEqual(before);
    const again = await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 7 }, "alpha", days[0], days[0]);
    expect(again).toEqual([{ day: days[0], archived: expected.get(`alpha/${days[0]}`), inserted: 0 }]);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'retention.restore'")).toBe(7);
    // Restored days are held: the next run leaves them, saying why.
    const held = await runRetention(w.deps());
    expect(held.dropped).toEqual([]);
    expect(held.pending.map((p) => p.reason)).toEqual(days.map(() => expect.stringMatching(/^restored for alpha, beta; kept until/)));
  });

  it("after the hold, archives a late event for a dropped day as a further part and drops again", async () => {
    await w.pool.query("UPDATE retention_restores SET hold_until = now() - interval '1 second'");
    await w.pool.query("DELETE FROM player_events WHERE event_day = $1", [days[1]]);
    await w.pool.query("DROP TABLE player_events_p" + days[1].replace(/-/g, ""));
    await seedDay(w.pool, "beta", days[1], 3, 1, "late-");
    const late = await snapshot(w.pool, "beta");
    const r = await runRetention(w.deps());
    expect(r.dropped).toHaveLength(3);
    const m = await manifestOf("beta", days[1]);
    expect(m.rows).toBe((expected.get(`beta/${days[1]}`) ?? 0) + 3);
    expect(m.generation).toBe(2);
    expect(m.parts.at(-1)).toMatchObject({ n: 1, rows: 3 });
    // Restored days 0 and 2 were identical to their archives: no new generation.
    expect((await manifestOf("beta", days[0])).generation).toBe(1);
    await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 0 }, "beta", days[1], days[1]);
    const restored = await snapshot(w.pool, "beta");
    expect(restored).toEqual(expect.arrayContaining(late.filter((j) => j.includes(`"event_day":"${days[1]}"`))));
    expect(await count("SELECT count(*) AS n FROM player_events WHERE game_id = 'beta' AND event_day = $1", [days[1]])).toBe(m.rows);
  });
});

describe("a partition whose archive fails verification", () => {
  it("is never dropped, and says why", async () => {
    const day = OLD(10);
    await seedDay(w.pool, "gamma", day, 1500, 20);
    const rows = await count("SELECT count(*) AS n FROM player_events WHERE game_id = 'gamma'");
    // A first run archives it; the partition then comes back (a restore) and an object is damaged.
    await runRetention(w.deps());
    await restoreDays({ pool: w.pool, bucket: w.bucket, prefix: w.prefix, actor: "staff:test", holdDays: 0 }, "gamma", day, day);
    const m = await manifestOf("gamma", day);
    await w.bucket.s3.send(new PutObjectCommand({ Bucket: w.bucket.name, Key: m.parts[1].key, Body: Buffer.from("not the archived bytes") }));
    const r = await runRetention(w.deps());
    expect(r.dropped).not.toContain(`player_events_p${day.replace(/-/g, "")}`);
    expect(await partitionExists(w.pool, day)).toBe(true);
    expect(await count("SELECT count(*) AS n FROM player_events WHERE game_id = 'gamma'")).toBe(rows);
    const reason = r.pending.find((p) => p.partition.endsWith(day.replace(/-/g, "")))?.reason;
    expect(reason).toMatch(new RegExp(`${m.parts[1].key.replace(/[.]/g, "\\.")} has SHA-256 [0-9a-f]{64}, the manifest says ${m.parts[1].sha256}`));
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'retention.verify_failed' AND target = $1", [`archive:gamma/${day}`])).toBe(1);
    const report = await buildReport(w.pool, today(), HOT_DAYS);
    expect(report.pending.map((p) => p.reason)).toContain(reason);
    // As the CronJob runs it: the Job fails, naming the partition, so the platform's alerts see it.
    const cli = await runCli(w.env, ["run"]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`player_events_p${day.replace(/-/g, "")}: archive of gamma failed verification`);
  });
});
