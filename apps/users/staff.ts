// Staff accounts: who may log in to the dashboard, with which roles and games.
import { randomUUID } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { appendAudit } from "../shared/audit";
import { ALL_GAMES, type Role } from "../shared/auth";
import { hashPassword } from "./passwords";
import type { ServiceSecrets } from "./secrets";
import { newTotpSecret } from "./totp";

export interface StaffAccount {
  readonly accountId: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly games: typeof ALL_GAMES | readonly string[];
  readonly totp: boolean;
  readonly disabled: boolean;
}

/** What creating an account takes: the account's own fields (totp: enrol it) and its first password. */
export interface NewStaff extends Pick<StaffAccount, "email" | "roles" | "games" | "totp"> {
  readonly password: string;
}

interface Row {
  account_id: string;
  email: string;
  roles: Role[];
  games: string[] | null;
  totp_sealed: string | null;
  disabled_at: Date | null;
  password_hash: string;
}

const toAccount = (r: Row): StaffAccount => ({
  accountId: r.account_id,
  email: r.email,
  roles: r.roles,
  games: r.games === null ? ALL_GAMES : r.games,
  totp: r.totp_sealed !== null,
  disabled: r.disabled_at !== null,
});

/** Creates the account inside the caller's transaction and audits it; returns the TOTP secret once, when asked for. */
export async function createStaff(client: PoolClient, secrets: ServiceSecrets, s: NewStaff, actor: string): Promise<{ account: StaffAccount; totpSecret?: string }> {
  const email = s.email.trim().toLowerCase();
  const totpSecret = s.totp ? newTotpSecret() : undefined;
  const { rows } = await client.query<Row>(
    `INSERT INTO staff_accounts (account_id, email, password_hash, roles, games, totp_sealed, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [randomUUID(), email, await hashPassword(s.password), s.roles, s.games === ALL_GAMES ? null : s.games, totpSecret === undefined ? null : secrets.seal(totpSecret), actor],
  );
  const account = toAccount(rows[0]);
  await appendAudit(client, { actor, action: "staff.create", target: `staff:${account.accountId}`, details: { email, roles: [...s.roles], games: s.games === ALL_GAMES ? ALL_GAMES : [...s.games], totp: s.totp } });
  return { account, ...(totpSecret === undefined ? {} : { totpSecret }) };
}

export async function findStaffById(pool: Pool, accountId: string): Promise<StaffAccount | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(accountId)) return undefined;
  const { rows } = await pool.query<Row>("SELECT * FROM staff_accounts WHERE account_id = $1", [accountId]);
  return rows[0] === undefined ? undefined : toAccount(rows[0]);
}

/** The account with what a login checks; undefined for an unknown email. */
export async function findStaffForLogin(pool: Pool, email: string): Promise<{ account: StaffAccount; passwordHash: string; totpSealed: string | null } | undefined> {
  const { rows } = await pool.query<Row>("SELECT * FROM staff_accounts WHERE email = $1", [email.trim().toLowerCase()]);
  const r = rows[0];
  return r === undefined ? undefined : { account: toAccount(r), passwordHash: r.password_hash, totpSealed: r.totp_sealed };
}

export async function disableStaff(client: PoolClient, accountId: string, actor: string): Promise<boolean> {
  const r = await client.query("UPDATE staff_accounts SET disabled_at = now() WHERE account_id = $1 AND disabled_at IS NULL", [accountId]);
  if (r.rowCount !== 1) return false;
  await appendAudit(client, { actor, action: "staff.disable", target: `staff:${accountId}` });
  return true;
}
