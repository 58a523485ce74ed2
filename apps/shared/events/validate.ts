import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { EVENT_TYPES, eventSchema, GameEvent, WireEvent } from "./catalog";

/**
 * One Ajv configuration for the whole event path. Fastify uses it as its validator
 * compiler, so requests, batch items and Kafka records are judged by the same rules.
 * No type coercion and no removal of unknown fields: a wrong type is an error, not a guess.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, discriminator: true, coerceTypes: false, removeAdditional: false, strict: false });
  addFormats(ajv, ["uuid", "date-time"]);
  return ajv;
}

export interface FieldError {
  /** JSON pointer into the event, e.g. `/levels/0`. */
  path: string;
  message: string;
}

/** Turns Ajv errors into precise, deduplicated field errors. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ""): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of errors ?? []) {
    const fe = toFieldError(e, prefix);
    out.set(`${fe.path} ${fe.message}`, fe);
  }
  // A missing field says it all; drop the follow-on errors about the same path.
  const missing = new Set([...out.values()].filter((f) => f.message === "is required").map((f) => f.path));
  return [...out.values()].filter((f) => f.message === "is required" || !missing.has(f.path));
}

function toFieldError(e: ErrorObject, prefix: string): FieldError {
  const at = `${prefix}${e.instancePath}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: `${at}/${String(p.missingProperty)}`, message: "is required" };
    case "additionalProperties":
      return { path: `${at}/${String(p.additionalProperty)}`, message: "is not an allowed field for this event type" };
    case "discriminator":
      return {
        path: `${at}/type`,
        message: p.error === "mapping" ? `unknown event type; allowed: ${EVENT_TYPES.join(", ")}` : "must be a string",
      };
    case "enum":
      return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).join(", ")}` };
    default:
      return { path: at === "" ? "/" : at, message: e.message ?? e.keyword };
  }
}

/** The event's type is a string that is not in the catalog. */
export function isUnknownType(e: ErrorObject): boolean {
  return e.keyword === "discriminator" && (e.params as { error?: string }).error === "mapping";
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; unknownType: boolean };

function wrap<T>(fn: ValidateFunction): (input: unknown) => Validation<T> {
  return (input) => {
    if (fn(input)) return { ok: true, value: input as T };
    const unknownType = (fn.errors ?? []).some(isUnknownType);
    return { ok: false, errors: toFieldErrors(fn.errors), unknownType };
  };
}

export interface EventValidators {
  event: (input: unknown) => Validation<GameEvent>;
  wire: (input: unknown) => Validation<WireEvent>;
}

export function createEventValidators(ajv: Ajv = createAjv()): EventValidators {
  return { event: wrap(ajv.compile(eventSchema(false))), wire: wrap(ajv.compile(eventSchema(true))) };
}
