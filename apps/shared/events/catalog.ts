// The event catalog, in the style of GameAnalytics: a few common fields and one
// small, closed schema per event type. The same JSON schemas serve three places:
// fastify's request validation, per-item validation of batches, and the processor's
// check of what it reads from Kafka (the "wire" form, where ingestion filled the ids and times).

export const EVENT_TYPES = ["session_start", "session_end", "progression", "purchase", "resource", "design", "error"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface CommonFields {
  event_id?: string;
  game_id?: string;
  player_id: string;
  /** Client clock, ISO 8601. */
  event_time?: string;
  platform?: string;
  app_version?: string;
  session_id?: string;
}

export type GameEvent = CommonFields &
  (
    | { type: "session_start" }
    | { type: "session_end"; length_s: number }
    | { type: "progression"; status: "start" | "fail" | "complete"; levels: string[]; score?: number; attempt?: number }
    | { type: "purchase"; currency: string; amount_minor: number; item_type: string; item_id: string; cart_type?: string }
    | { type: "resource"; flow: "sink" | "source"; currency: string; amount: number; item_type: string; item_id: string }
    | { type: "design"; design_id: string; value?: number }
    | { type: "error"; severity: "debug" | "info" | "warning" | "error" | "critical"; message: string }
  );

/** What ingestion publishes to Kafka: ids, game and times are always filled in. */
export type WireEvent = GameEvent & {
  event_id: string;
  game_id: string;
  event_time: string;
  received_at: string;
  client_time: string | null;
};

type Schema = Record<string, unknown>;

const shortText = (max: number): Schema => ({ type: "string", minLength: 1, maxLength: max });
const minor = { type: "integer", minimum: 0, maximum: 1_000_000_000_000 };

export const GAME_ID_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$";

const COMMON: Schema = {
  event_id: { type: "string", format: "uuid" },
  game_id: { type: "string", pattern: GAME_ID_PATTERN },
  player_id: shortText(128),
  event_time: { type: "string", format: "date-time" },
  platform: shortText(32),
  app_version: shortText(32),
  session_id: shortText(64),
};

const WIRE_EXTRA: Schema = {
  received_at: { type: "string", format: "date-time" },
  client_time: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
};

const SPECIFIC: Record<EventType, { properties: Schema; required: string[] }> = {
  session_start: { properties: {}, required: [] },
  session_end: { properties: { length_s: { type: "integer", minimum: 0, maximum: 604_800 } }, required: ["length_s"] },
  progression: {
    properties: {
      status: { enum: ["start", "fail", "complete"] },
      levels: { type: "array", minItems: 1, maxItems: 3, items: shortText(64) },
      score: { type: "integer" },
      attempt: { type: "integer", minimum: 1 },
    },
    required: ["status", "levels"],
  },
  purchase: {
    properties: {
      currency: { type: "string", pattern: "^[A-Z]{3}$" },
      amount_minor: minor,
      item_type: shortText(64),
      item_id: shortText(64),
      cart_type: shortText(64),
    },
    required: ["currency", "amount_minor", "item_type", "item_id"],
  },
  resource: {
    properties: {
      flow: { enum: ["sink", "source"] },
      currency: shortText(64),
      amount: { type: "number", exclusiveMinimum: 0 },
      item_type: shortText(64),
      item_id: shortText(64),
    },
    required: ["flow", "currency", "amount", "item_type", "item_id"],
  },
  design: {
    properties: {
      design_id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,4}$" },
      value: { type: "number" },
    },
    required: ["design_id"],
  },
  error: {
    properties: {
      severity: { enum: ["debug", "info", "warning", "error", "critical"] },
      message: shortText(8192),
    },
    required: ["severity", "message"],
  },
};

/** Fields of each type that are not common: they go to the payload column. */
export const SPECIFIC_FIELDS: Record<EventType, string[]> = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, Object.keys(SPECIFIC[t].properties)]),
) as Record<EventType, string[]>;

function branch(type: EventType, wire: boolean): Schema {
  const s = SPECIFIC[type];
  const commonRequired = wire ? ["event_id", "game_id", "player_id", "event_time", "received_at"] : ["player_id"];
  return {
    type: "object",
    additionalProperties: false,
    properties: { type: { const: type }, ...COMMON, ...(wire ? WIRE_EXTRA : {}), ...s.properties },
    required: ["type", ...commonRequired, ...s.required],
  };
}

/** The schema of one event; `wire` is the form ingestion writes to Kafka. */
export function eventSchema(wire: boolean): Schema {
  return {
    type: "object",
    required: ["type"],
    discriminator: { propertyName: "type" },
    oneOf: EVENT_TYPES.map((t) => branch(t, wire)),
  };
}

export const MAX_BATCH_EVENTS = 1000;

/** The batch envelope; each item is checked on its own so good events survive bad neighbours. */
export const batchSchema: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["events"],
  properties: { events: { type: "array", minItems: 1, maxItems: MAX_BATCH_EVENTS, items: { type: "object" } } },
};
