// Field rules for stack config overrides: each parses a raw config value or says what is allowed.
// A rule per profile field is what lets validation name the key, the bad value and the allowed ones.

export interface Field<T> {
  /** Human-readable description of the allowed values, used in error messages. */
  readonly allowed: string;
  /** Returns the typed value, or undefined when the raw value is not allowed. */
  parse(raw: unknown): T | undefined;
}

export function int(min: number, max: number): Field<number> {
  return {
    allowed: `an integer from ${min} to ${max}`,
    parse: (raw) => (typeof raw === "number" && Number.isInteger(raw) && raw >= min && raw <= max ? raw : undefined),
  };
}

export function bool(): Field<boolean> {
  return { allowed: "true or false", parse: (raw) => (typeof raw === "boolean" ? raw : undefined) };
}

export function oneOf<T extends string>(...values: readonly T[]): Field<T> {
  return {
    allowed: `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
    parse: (raw) => (typeof raw === "string" && (values as readonly string[]).includes(raw) ? (raw as T) : undefined),
  };
}

export function text(pattern: RegExp, description: string): Field<string> {
  return {
    allowed: description,
    parse: (raw) => (typeof raw === "string" && pattern.test(raw) ? raw : undefined),
  };
}

export function list<T>(item: Field<T>, minLength = 0): Field<T[]> {
  return {
    allowed: `a list (at least ${minLength}) of ${item.allowed}`,
    parse(raw) {
      if (!Array.isArray(raw) || raw.length < minLength) return undefined;
      const parsed = raw.map((r) => item.parse(r));
      return parsed.every((p) => p !== undefined) ? (parsed as T[]) : undefined;
    },
  };
}

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export function logRetention(): Field<number> {
  return {
    allowed: `one of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts)`,
    parse: (raw) => (typeof raw === "number" && (LOG_RETENTION_DAYS as readonly number[]).includes(raw) ? raw : undefined),
  };
}

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
export const cidr = (): Field<string> => text(CIDR, "an IPv4 CIDR such as 10.0.0.0/16");

/** Field rules for every key of a section's profile: the compiler makes sure none is missing. */
export type FieldRules<T> = { readonly [K in keyof T]: Field<T[K]> };

/** One config section (`gamemetrics:<name>`): its rules and its defaults per tier, side by side. */
export interface Section<T> {
  readonly fields: FieldRules<T>;
  readonly free: T;
  readonly production: T;
}

export function section<T>(s: Section<T>): Section<T> {
  return s;
}
