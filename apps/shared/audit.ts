// The platform's one audit writer: hash-chained rows, appended inside the caller's transaction so an
// action and its record commit or roll back together. verifyAuditChain names the first broken link.
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";

export type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

export interface AuditEntry {
  /** Who: `staff:<id>`, `client:<id>`, `service:<name>`. */
  readonly actor: string;
  /** What, dotted: `staff.login`, `apikey.create`, `gdpr.erase.store_done`, `retention.drop`. */
  readonly action: string;
  /** On what: `game:<id>`, `player:<game>/<player>`, `partition:<name>`. */
  readonly target: string;
  readonly details?: { readonly [k: string]: Json };
}

export interface AuditRecord extends Required<AuditEntry> {
  readonly seq: number;
  readonly at: Date;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash that precedes the first row. */
export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted at every level: the same value always hashes the same. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as { readonly [k: string]: Json };
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Pure: a row's hash from the previous hash and its own content. */
export function entryHash(prevHash: string, seq: number, at: Date, e: AuditEntry): string {
  const content = canonicalJson({ seq, at: at.toISOString(), actor: e.actor, action: e.action, target: e.target, details: e.details ?? {} });
  return createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}

// Arbitrary constant: appends take this transaction-scoped lock, so the chain is never forked.
const CHAIN_LOCK = 4_242_003;

/** Appends one entry; `client` must be inside the transaction of the action being recorded. */
export async function appendAudit(client: PoolClient, e: AuditEntry): Promise<AuditRecord> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [CHAIN_LOCK]);
  const last = await client.query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  const seq = last.rows.length === 0 ? 1 : Number(last.rows[0].seq) + 1;
  const prevHash = last.rows.length === 0 ? GENESIS : last.rows[0].hash;
  // Millisecond precision: what a JS Date holds, so the stored time hashes the same when read back.
  const at = new Date();
  const hash = entryHash(prevHash, seq, at, e);
  const details = e.details ?? {};
  await client.query("INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
    seq,
    at,
    e.actor,
    e.action,
    e.target,
    JSON.stringify(details),
    prevHash,
    hash,
  ]);
  return { seq, at, actor: e.actor, action: e.action, target: e.target, details, prevHash, hash };
}

export type ChainVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly reason: string };

/** Walks the whole chain in order (in pages, so memory stays flat) and names the first broken link. */
export async function verifyAuditChain(pool: Pool, pageSize = 5000): Promise<ChainVerdict> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (;;) {
    const { rows } = await pool.query<{ seq: string; at: Date; actor: string; action: string; target: string; details: { [k: string]: Json }; prev_hash: string; hash: string }>(
      "SELECT seq, at, actor, action, target, details, prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
      [expectedSeq, pageSize],
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      const broken = (reason: string): ChainVerdict => ({ ok: false, entries: expectedSeq - 1, brokenAt: seq, reason });
      if (seq !== expectedSeq) return { ok: false, entries: expectedSeq - 1, brokenAt: expectedSeq, reason: `row ${expectedSeq} is missing (next row is ${seq})` };
      if (r.prev_hash !== prevHash) return broken(`row ${seq} does not follow row ${seq - 1}: its prev_hash is not row ${seq - 1}'s hash`);
      if (entryHash(prevHash, seq, r.at, r) !== r.hash) return broken(`row ${seq} was changed after it was written: its content does not match its hash`);
      prevHash = r.hash;
      expectedSeq = seq + 1;
    }
    if (rows.length < pageSize) return { ok: true, entries: expectedSeq - 1, head: prevHash };
  }
}
