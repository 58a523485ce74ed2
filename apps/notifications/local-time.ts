// Wall-clock time in a player's time zone: quiet hours and the day a daily cap counts against.

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    formats.set(timeZone, f);
  }
  return f;
}

/** An IANA zone name the runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(tz: string): boolean {
  try {
    format(tz);
    return true;
  } catch {
    return false;
  }
}

/** The local date (YYYY-MM-DD) and seconds since local midnight at `now` in `timeZone`. */
export function localClock(now: Date, timeZone: string): { date: string; seconds: number } {
  const parts: Record<string, string> = {};
  for (const p of format(timeZone).formatToParts(now)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second) };
}

const toSeconds = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;

/**
 * When quiet hours end, if `now` falls inside them; null otherwise. The window may wrap midnight
 * (22:00-08:00). A DST change inside the wait is corrected once by reading the wall clock at the
 * answer; an end that falls in a skipped hour keeps the uncorrected answer (the first instant after it).
 */
export function quietUntil(now: Date, timeZone: string, quiet: { start: string; end: string }): Date | null {
  const s = toSeconds(quiet.start);
  const e = toSeconds(quiet.end);
  if (s === e) return null;
  const { seconds: t } = localClock(now, timeZone);
  const inside = s < e ? t >= s && t < e : t >= s || t < e;
  if (!inside) return null;
  const guess = Math.floor(now.getTime() / 1000) * 1000 + ((e - t + 86_400) % 86_400) * 1000;
  let drift = e - localClock(new Date(guess), timeZone).seconds;
  if (drift > 43_200) drift -= 86_400;
  if (drift < -43_200) drift += 86_400;
  const corrected = guess + drift * 1000;
  return new Date(corrected > now.getTime() ? corrected : guess);
}
