// Date ranges the pages ask for: inclusive UTC days.
export type Granularity = "HOUR" | "DAY" | "WEEK";

export interface Range {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const today = (): string => isoDay(Date.now());
export const addDays = (day: string, n: number): string => isoDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** The last `days` days up to today. */
export const lastDays = (days: number): Range => ({ from: addDays(today(), -(days - 1)), to: today() });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (s: string | null): s is string => s !== null && DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** A bucket label (a day, a week's Monday or an hour) as uPlot's seconds. */
export const bucketSeconds = (bucket: string): number => Date.parse(bucket.length === 10 ? `${bucket}T00:00:00Z` : bucket) / 1000;
