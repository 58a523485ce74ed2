// oidc-provider's persistence in PostgreSQL: every artifact (sessions, interactions, grants, codes,
// refresh tokens, replay records) is a row of oidc_payloads keyed by (model, id), so any pod serves
// any step. Clients are not artifacts: the Client model reads oauth_clients (clients.ts).
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Pool } from "pg";

type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

export function postgresAdapter(pool: Pool, findClient: ClientLookup): new (model: string) => Adapter {
  return class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.model === "Client") throw new Error("clients are managed through the users API, not dynamic registration");
      await pool.query(
        `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
           uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn > 0 ? Math.ceil(expiresIn) : null],
      );
    }

    private async one(column: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await pool.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, value],
      );
      const r = rows[0];
      if (r === undefined) return undefined;
      return r.consumed_at === null ? r.payload : { ...r.payload, consumed: Math.floor(r.consumed_at.getTime() / 1000) };
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return this.model === "Client" ? findClient(id) : this.one("id", id);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.one("uid", uid);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.one("user_code", userCode);
    }

    async consume(id: string): Promise<void> {
      await pool.query("UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2", [this.model, id]);
    }

    async destroy(id: string): Promise<void> {
      await pool.query("DELETE FROM oidc_payloads WHERE model = $1 AND id = $2", [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await pool.query("DELETE FROM oidc_payloads WHERE grant_id = $1", [grantId]);
    }
  };
}

/** Removes expired artifacts (any pod may run it; expired rows are already invisible to find). */
export async function deleteExpired(pool: Pool): Promise<number> {
  const r = await pool.query("DELETE FROM oidc_payloads WHERE expires_at < now() - interval '5 minutes'");
  return r.rowCount ?? 0;
}
