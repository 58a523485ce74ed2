// Runs the users service as a child process against the test database, with its own keys.
import { join } from "node:path";
import { importPKCS8, SignJWT } from "jose";
import { Pool } from "pg";
import { createStaff, type NewStaff } from "../../../apps/users/staff";
import { createClient, type NewClient } from "../../../apps/users/clients";
import { generateSigningKeys, parseSigningKeys } from "../../../apps/users/keys";
import { deriveSecrets, type ServiceSecrets } from "../../../apps/users/secrets";
import { inTransaction } from "../../../apps/shared/pg";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { freePort } from "../../../local/net";
import { type RunningService, startService } from "../../../local/services";
import { testEnv } from "../support/env";

export const SECRET_KEY = "test-secret-key-for-the-users-service-0123456789";
export const secrets: ServiceSecrets = deriveSecrets(SECRET_KEY);

export interface Users {
  readonly url: string;
  readonly issuer: string;
  readonly service: RunningService;
  readonly keys: { doc: string; pems: Record<number, string> };
}

/** Starts the service on a free port; `issuer` defaults to its own URL (pass another pod's for a rolling pair). */
export async function startUsers(label: string, opts: { generation?: number; pems?: Record<number, string>; issuer?: string; env?: Record<string, string> } = {}): Promise<Users> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const issuer = opts.issuer ?? `${url}/oauth`;
  const keys = generateSigningKeys(opts.generation ?? 1, opts.pems);
  const env = {
    DATABASE_URL: testEnv("databaseUrl"),
    REDIS_URL: testEnv("redisUrl"),
    PORT: String(port),
    USERS_ISSUER: issuer,
    USERS_SECRET_KEY: SECRET_KEY,
    USERS_SIGNING_KEYS: keys.doc,
    GDPR_POLL_MS: "200",
    LOG_LEVEL: "info",
    ...opts.env,
  };
  const service = await startService("users", env, `${url}/readyz`, join(REPO_ROOT, ".local", "test", "logs", `users-${label}-${port}.log`));
  return { url, issuer, service, keys };
}

export const testPool = (): Pool => new Pool({ connectionString: testEnv("databaseUrl"), max: 4 });

export const newStaff = (pool: Pool, s: NewStaff) => inTransaction(pool, (c) => createStaff(c, secrets, s, "test"));
export const newClient = (pool: Pool, c: NewClient) => inTransaction(pool, (tx) => createClient(tx, secrets, c, "test"));

/** A token signed with the service's real current key but claims of the test's choosing (expired ones, say). */
export async function forgeWithServiceKey(u: Users, claims: Record<string, unknown>, expSec: number): Promise<string> {
  const set = parseSigningKeys(u.keys.doc);
  const current = JSON.parse(u.keys.doc).current as number;
  const key = await importPKCS8(u.keys.pems[current], "ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: set.currentKid }).setIssuer(u.issuer).setAudience("gamemetrics-api").setIssuedAt(now - 7200).setExpirationTime(now + expSec).sign(key);
}

/** A cookie jar for one browser: the login flow's cookies, sent back on every request to the same host. */
export function browser() {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  return { go };
}
