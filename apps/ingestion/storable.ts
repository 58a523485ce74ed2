// Values that pass the event schema but that PostgreSQL (text, jsonb, timestamptz) or JavaScript
// (Date, number) cannot hold as sent. Each class was found by tests/apps/edge-values.test.ts
// (property-based, against the real services); refusing them at the edge, naming the field, keeps
// them from ever reaching the stream where they could only be dead-lettered.
import type { GameEvent } from "../shared/events/catalog";
import type { FieldError } from "../shared/events/validate";

// U+0000: text refuses it (invalid byte sequence 0x00), jsonb refuses its escape (unsupported Unicode escape).
const NUL = /\u0000/;
// A surrogate half without its partner: not a Unicode scalar value, so not valid UTF-8; jsonb refuses it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d)(?::?(\d\d))?)$/;

function stringProblem(s: string): string | undefined {
  if (NUL.test(s)) return "contains U+0000, which PostgreSQL text and jsonb cannot store";
  if (LONE_SURROGATE.test(s)) return "contains an unpaired UTF-16 surrogate, which is not valid Unicode text";
  return undefined;
}

function numberProblem(n: number): string | undefined {
  if (!Number.isFinite(n)) return "is not a finite number";
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return "is an integer beyond ±(2^53 − 1), which cannot be held exactly";
  return undefined;
}

const utcYear = (y: number) => new Date(0).setUTCFullYear(y, 0, 1);
const FIRST_INSTANT = utcYear(1);
const END_INSTANT = utcYear(10_000);

/** The instant the fields of an RFC 3339 time name, in ms (years 0-99 included, which Date.UTC would move). */
function instantOf(m: RegExpExecArray): number {
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? "").padEnd(3, "0").slice(0, 3)));
  const offset = m[8] === undefined ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0));
  return d.getTime() - offset * 60_000;
}

/**
 * An RFC 3339 time (already checked by the schema) that JavaScript's Date and PostgreSQL's
 * timestamptz both hold and read as the same instant.
 */
export function timeProblem(s: string): string | undefined {
  const m = TIME.exec(s);
  if (m === null) return "is not in the form YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)";
  if (m[1] === "0000") return "is in year 0000, which PostgreSQL does not have";
  if (m[6] === "60") return "is a leap second, which JavaScript cannot hold";
  if (m[9] !== undefined && Number(m[9]) > 15) return "has a UTC offset beyond ±15:59, which PostgreSQL refuses";
  const parsed = Date.parse(s);
  if (!Number.isFinite(parsed)) return "is a time JavaScript cannot read (write the offset as ±HH:MM)";
  // V8 reads some valid forms (a space separator, small years) with its legacy parser, as another instant.
  if (parsed !== instantOf(m)) return "is read by JavaScript as another instant; write it as YYYY-MM-DDTHH:MM:SS(Z|±HH:MM)";
  // Stored as its UTC instant in milliseconds (normalize.ts): that instant must have a 4-digit UTC year too.
  if (parsed < FIRST_INSTANT || parsed >= END_INSTANT) return "falls outside the years 0001-9999 in UTC";
  return undefined;
}

/** Every value of an event that could not be stored as sent, by JSON pointer (pure). */
export function unstorable(e: GameEvent): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (v: unknown, path: string) => {
    const problem = typeof v === "string" ? stringProblem(v) : typeof v === "number" ? numberProblem(v) : undefined;
    if (problem !== undefined) errors.push({ path, message: problem });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
  };
  for (const [k, v] of Object.entries(e)) walk(v, `/${k}`);
  if (e.event_time !== undefined && !errors.some((x) => x.path === "/event_time")) {
    const problem = timeProblem(e.event_time);
    if (problem !== undefined) errors.push({ path: "/event_time", message: problem });
  }
  return errors;
}
