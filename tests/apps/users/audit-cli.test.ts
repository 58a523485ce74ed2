// `npm run audit -- verify` over a real chain written by audited actions (API key creation and
// revocation, a staff account): exit 0 while intact; any tampered row is named, exit 1.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createApiKey, revokeApiKey } from "../../../apps/shared/apikeys";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { type ScratchDb, scratchDatabase } from "../support/scratch-db";
import { newStaff } from "./support";

let db: ScratchDb;
beforeAll(async () => (db = await scratchDatabase("audit_cli")));
afterAll(async () => db?.drop());

const verify = () =>
  spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "apps", "admin", "audit.ts"), "verify"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: db.url },
    encoding: "utf8",
    timeout: 60_000,
  });

test("an intact chain verifies; a row changed behind the service's back is named", async () => {
  const k = await createApiKey(db.pool, "game-a", undefined, "staff:alice");
  expect(await revokeApiKey(db.pool, k.keyId, "staff:alice")).toBe(true);
  await newStaff(db.pool, { email: "bob@example.com", password: "a long enough password", roles: ["support"], games: ["game-a"], totp: false });
  const { rows } = await db.pool.query("SELECT seq, actor, action, target FROM audit_log ORDER BY seq");
  expect(rows.map((r) => r.action)).toEqual(["apikey.create", "apikey.revoke", "staff.create"]);
  expect(rows[0]).toMatchObject({ actor: "staff:alice", target: "game:game-a" });

  const ok = verify();
  expect({ status: ok.status, out: ok.stdout }).toEqual({ status: 0, out: expect.stringMatching(/^audit chain intact: 3 rows, head [0-9a-f]{64}\n$/) });

  await db.pool.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  await db.pool.query("UPDATE audit_log SET actor = 'staff:mallory' WHERE seq = 2");
  const broken = verify();
  expect(broken.status).toBe(1);
  expect(broken.stdout).toBe("audit chain BROKEN at row 2: row 2 was changed after it was written: its content does not match its hash (1 rows before it verify)\n");
});
