// Where archives live and which partition holds which day: pure naming, shared by the retention job
// and the archives store. Objects: <prefix>/game_id=<g>/dt=<yyyy-mm-dd>/part-<n>.parquet, with one
// manifest.json per game and day beside them (Hive-style keys, so query engines see game_id and dt
// as partition columns).

/** Where archives go unless configured: the bucket (locally) and the retention job's prefix (its IRSA scope). */
export const ARCHIVE_DEFAULTS = { bucket: "gamemetrics-archives", prefix: "player-events" } as const;

/** The processor's daily partitions of player_events (gm_ensure_event_partition). */
const PARTITION = /^player_events_p(\d{4})(\d{2})(\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function partitionOfDay(day: string): string {
  return `player_events_p${day.replace(/-/g, "")}`;
}

export function dayOfPartition(name: string): string | undefined {
  const m = PARTITION.exec(name);
  return m === null ? undefined : `${m[1]}-${m[2]}-${m[3]}`;
}

export function isDay(s: string): boolean {
  return DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

/** UTC day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export const today = (now = new Date()): string => now.toISOString().slice(0, 10);

/** The oldest day still hot: partitions of earlier days are archived and dropped. */
export const firstHotDay = (todayUtc: string, hotDays: number): string => addDays(todayUtc, -(hotDays - 1));

export const dayPrefix = (prefix: string, gameId: string, day: string): string => `${prefix}/game_id=${gameId}/dt=${day}/`;
export const partKey = (prefix: string, gameId: string, day: string, n: number): string => `${dayPrefix(prefix, gameId, day)}part-${n}.parquet`;
export const manifestKey = (prefix: string, gameId: string, day: string): string => `${dayPrefix(prefix, gameId, day)}manifest.json`;
export const gamePrefix = (prefix: string, gameId: string): string => `${prefix}/game_id=${gameId}/`;
