// Why the chain head is anchored outside the database: an admin who rewrites every row and
// recomputes every hash gets a chain that verifies on its own, but not against the anchored head.
import { entryHash, GENESIS, verifyAuditChain } from "../../../apps/shared/audit";
import { anchorKey, judgeAnchor } from "../../../apps/shared/audit-anchor";
import { createApiKey } from "../../../apps/shared/apikeys";
import { type ScratchDb, scratchDatabase } from "../support/scratch-db";

let db: ScratchDb;
beforeAll(async () => (db = await scratchDatabase("audit_anchor")));
afterAll(async () => db?.drop());

test("a wholesale rewrite passes verify alone and fails against the anchor", async () => {
  for (const g of ["a", "b", "c"]) await createApiKey(db.pool, `game-${g}`, undefined, "staff:alice");
  const head = await verifyAuditChain(db.pool);
  if (!head.ok) throw new Error("fresh chain must verify");
  const anchor = { seq: head.entries, hash: head.head, at: new Date().toISOString() };

  // The attack: blame someone else for row 2 and re-hash from there on, as the writer would.
  await db.pool.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  const { rows } = await db.pool.query("SELECT seq, at, actor, action, target, details FROM audit_log ORDER BY seq");
  let prev = GENESIS;
  for (const r of rows) {
    const actor = Number(r.seq) === 2 ? "staff:mallory" : r.actor;
    const hash = entryHash(prev, Number(r.seq), r.at, { actor, action: r.action, target: r.target, details: r.details });
    await db.pool.query("UPDATE audit_log SET actor = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [r.seq, actor, prev, hash]);
    prev = hash;
  }
  expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true, entries: 3 });

  const now = await db.pool.query<{ hash: string }>("SELECT hash FROM audit_log WHERE seq = $1", [anchor.seq]);
  expect(judgeAnchor(anchor, now.rows[0].hash)).toEqual({ ok: false, reason: expect.stringContaining("history was rewritten") });
  expect(judgeAnchor(anchor, undefined)).toEqual({ ok: false, reason: expect.stringContaining("is gone from the database") });
  expect(judgeAnchor(anchor, anchor.hash)).toEqual({ ok: true });
});

test("anchor keys sort in chain order", () => {
  const keys = [10, 9, 100, 1].map((s) => anchorKey("audit-anchors/", s)).sort();
  expect(keys).toEqual([1, 9, 10, 100].map((s) => `audit-anchors/chain-head-${String(s).padStart(20, "0")}.json`));
});
