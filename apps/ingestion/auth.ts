import type { Pool } from "pg";
import { ApiKeyRecord, findApiKey } from "../shared/apikeys";

/** The presented key from `x-api-key` or `Authorization: Bearer <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers["x-api-key"];
  if (typeof direct === "string" && direct !== "") return direct;
  const auth = headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7).trim() || undefined;
  return undefined;
}

const MAX_ENTRIES = 10_000;

/**
 * Looks keys up in PostgreSQL and remembers the answer (found or not) for ttlMs, so the
 * hot path does no database round trip. A revoked key stops working within ttlMs.
 */
export class KeyCache {
  private readonly entries = new Map<string, { record: ApiKeyRecord | undefined; expires: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
  ) {}

  async lookup(presented: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const hit = this.entries.get(presented);
    if (hit !== undefined && hit.expires > now) return hit.record;
    const record = await findApiKey(this.pool, presented);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(presented, { record, expires: now + this.ttlMs });
    return record;
  }
}
