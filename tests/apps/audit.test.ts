// The hash-chained audit log against the real PostgreSQL: appends ride the action's transaction,
// concurrent writers never fork the chain, and any edit, removal or out-of-band insert is named.
import { appendAudit, entryHash, verifyAuditChain } from "../../apps/shared/audit";
import { inTransaction } from "../../apps/shared/pg";
import { type ScratchDb, scratchDatabase } from "./support/scratch-db";

let db: ScratchDb;
beforeEach(async () => (db = await scratchDatabase("audit")));
afterEach(async () => db.drop());

const append = (n: number) => inTransaction(db.pool, (c) => appendAudit(c, { actor: "staff:alice", action: "apikey.create", target: `game:g${n}`, details: { keyId: `k${n}`, n } }));
const asSuperuser = async (sql: string) => {
  const c = await db.pool.connect();
  try {
    await c.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    await c.query(sql);
  } finally {
    c.release();
  }
};

it("an entry commits or rolls back with its action", async () => {
  await append(1);
  await expect(
    inTransaction(db.pool, async (c) => {
      await appendAudit(c, { actor: "staff:bob", action: "apikey.revoke", target: "game:g1" });
      throw new Error("the action failed");
    }),
  ).rejects.toThrow("the action failed");
  const { rows } = await db.pool.query("SELECT actor FROM audit_log");
  expect(rows).toEqual([{ actor: "staff:alice" }]);
  expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true, entries: 1 });
});

it("20 concurrent writers make one unbroken chain", async () => {
  await Promise.all(Array.from({ length: 20 }, (_, i) => append(i)));
  const verdict = await verifyAuditChain(db.pool, 7); // pages of 7: the walk crosses page boundaries
  expect(verdict).toMatchObject({ ok: true, entries: 20 });
  const { rows } = await db.pool.query<{ n: string }>("SELECT count(DISTINCT prev_hash) AS n FROM audit_log");
  expect(Number(rows[0].n)).toBe(20);
});

it("the database refuses UPDATE and DELETE", async () => {
  await append(1);
  await expect(db.pool.query("UPDATE audit_log SET actor = 'x'")).rejects.toThrow(/append-only \(UPDATE refused\)/);
  await expect(db.pool.query("DELETE FROM audit_log")).rejects.toThrow(/append-only \(DELETE refused\)/);
});

describe("verify names the first broken link", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 5; i++) await append(i);
  });

  it("a changed detail", async () => {
    await asSuperuser(`UPDATE audit_log SET details = jsonb_set(details, '{keyId}', '"forged"') WHERE seq = 3`);
    expect(await verifyAuditChain(db.pool)).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: expect.stringContaining("row 3 was changed") });
  });

  it("a changed time", async () => {
    await asSuperuser(`UPDATE audit_log SET at = at - interval '1 day' WHERE seq = 4`);
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it("a removed row", async () => {
    await asSuperuser("DELETE FROM audit_log WHERE seq = 2");
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: false, brokenAt: 2, reason: "row 2 is missing (next row is 3)" });
  });

  it("a row rewritten with a recomputed hash still breaks the next link", async () => {
    const { rows } = await db.pool.query("SELECT seq, at, action, target, details, prev_hash FROM audit_log WHERE seq = 2");
    const r = rows[0];
    const forged = entryHash(r.prev_hash, 2, r.at, { actor: "staff:mallory", action: r.action, target: r.target, details: r.details });
    await asSuperuser(`UPDATE audit_log SET actor = 'staff:mallory', hash = '${forged}' WHERE seq = 2`);
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringContaining("row 3 does not follow row 2") });
  });
});
