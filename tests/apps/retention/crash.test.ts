// kill -9 of the real job process at each step (after the parts are uploaded, after the manifest,
// before the drop), then a normal run: nothing is lost, nothing is archived twice, and a restore
// gives back exactly the rows that were there.
import { verifyAuditChain } from "../../../apps/shared/audit";
import { dayPrefix, manifestKey } from "../../../apps/shared/archive/layout";
import { readManifest } from "../../../apps/shared/archive/manifest";
import { listKeys } from "../../../apps/shared/s3/objects";
import { OLD, partitionExists, retentionWorld, runCli, seedDay, snapshot, type RetentionWorld } from "./support";

const days = [OLD(20), OLD(21)];
const ROWS = 1500;

async function seeded(label: string): Promise<{ w: RetentionWorld; before: string[] }> {
  const w = await retentionWorld(label, undefined, undefined, 500);
  for (const d of days) await seedDay(w.pool, "crashy", d, ROWS, 40);
  return { w, before: await snapshot(w.pool) };
}

async function finishesAfterCrash(w: RetentionWorld, before: string[]): Promise<void> {
  const rerun = await runCli(w.env, ["run"]);
  expect(rerun).toMatchObject({ code: 0, signal: null });
  for (const d of days) {
    expect(await partitionExists(w.pool, d)).toBe(false);
    const m = await readManifest(w.bucket, w.prefix, "crashy", d);
    expect(m?.manifest).toMatchObject({ rows: ROWS, generation: 1 });
    expect(m?.manifest.parts.map((p) => p.rows)).toEqual([500, 500, 500]);
    // Exactly the manifest and its parts: a crashed attempt left nothing behind.
    expect((await listKeys(w.bucket, dayPrefix(w.prefix, "crashy", d))).sort()).toEqual([manifestKey(w.prefix, "crashy", d), ...(m?.manifest.parts.map((p) => p.key) ?? [])].sort());
  }
  const restore = await runCli(w.env, ["restore", "--game", "crashy", "--from", days[0], "--to", days[1]]);
  expect(restore.code).toBe(0);
  expect(await snapshot(w.pool)).toEqual(before);
  expect(await verifyAuditChain(w.pool)).toMatchObject({ ok: true });
}

type Midway = (w: RetentionWorld) => Promise<void>;

const CRASHES: [string, string, Midway][] = [
  [
    "between the upload of the parts and the manifest",
    "after-parts",
    async (w) => {
      expect(await readManifest(w.bucket, w.prefix, "crashy", days[0])).toBeUndefined();
      expect(await listKeys(w.bucket, dayPrefix(w.prefix, "crashy", days[0]))).toHaveLength(3);
    },
  ],
  [
    "between the manifest and the drop",
    "after-manifest",
    async (w) => expect((await readManifest(w.bucket, w.prefix, "crashy", days[0]))?.manifest.rows).toBe(ROWS),
  ],
  [
    "after verification, just before the drop",
    "before-drop",
    async (w) => expect((await w.pool.query("SELECT rows FROM retention_archives WHERE day = $1", [days[0]])).rows).toEqual([{ rows: String(ROWS) }]),
  ],
];

describe("SIGKILL of the retention job", () => {
  it.each(CRASHES)("%s", async (_what, point, midway) => {
    const { w, before } = await seeded(`crash_${point.replace(/-/g, "_")}`);
    try {
      const crashed = await runCli(w.env, ["run"], point);
      expect(crashed.signal).toBe("SIGKILL");
      await midway(w);
      expect(await partitionExists(w.pool, days[0])).toBe(true);
      await finishesAfterCrash(w, before);
    } finally {
      await w.close();
    }
  });
});
