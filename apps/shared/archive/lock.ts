// One writer at a time per archived (game, day): the retention job (archive, verify, drop), restores
// and the GDPR rewrite all change or read a day's objects and manifest. A session-level advisory lock
// on its own connection: a process killed mid-way releases it with its connection.
import type { Pool } from "pg";

// Arbitrary constant namespacing these locks (first key of the two-key form).
const ARCHIVE_LOCK_SPACE = 4_242_015;

export async function withArchiveLock<T>(pool: Pool, gameId: string, day: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [ARCHIVE_LOCK_SPACE, `${gameId}/${day}`]);
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [ARCHIVE_LOCK_SPACE, `${gameId}/${day}`]).catch(() => undefined);
    client.release();
  }
}
