// JSON schemas of what the service takes in: the API's bodies and the `notifications` topic's
// records (the same request schema serves both), validated by the platform's one Ajv setup.
import { CATEGORIES, CHANNELS } from "./model";

const ID = "^[a-z0-9][a-z0-9_.-]{0,63}$";
/** BCP 47, as far as templates need it: language, optional script/region. */
export const LOCALE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
const NO_NUL = "^[^\\u0000]*$";
const HHMM = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: NO_NUL });
const channelList = { type: "array", items: { enum: CHANNELS }, minItems: 1, uniqueItems: true };

export const requestSchema = {
  type: "object",
  required: ["game_id", "idempotency_key", "player_id", "template"],
  additionalProperties: false,
  properties: {
    game_id: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" },
    idempotency_key: { type: "string", minLength: 1, maxLength: 200, pattern: "^[\\x21-\\x7e]+$" },
    player_id: text(128),
    template: { type: "string", pattern: ID },
    channels: channelList,
    locale: { type: "string", pattern: LOCALE },
    data: { type: "object" },
    send_at: { type: "string", format: "date-time" },
  },
} as const;

const parts = (subject: "required" | "optional", html: boolean) => ({
  type: "object",
  additionalProperties: false,
  required: subject === "required" ? ["subject", "text"] : ["text"],
  properties: { subject: text(500), text: text(100_000), ...(html ? { html: text(500_000) } : {}) },
});

const channelContent = (subject: "required" | "optional", html: boolean) => ({
  ...parts(subject, html),
  properties: { ...parts(subject, html).properties, digest: parts(subject, html) },
});

export const templateSchema = {
  type: "object",
  required: ["category", "default_locale", "variables", "locales"],
  additionalProperties: false,
  properties: {
    category: { enum: CATEGORIES },
    default_locale: { type: "string", pattern: LOCALE },
    digest_window_sec: { type: "integer", minimum: 0, maximum: 86_400 },
    variables: {
      type: "object",
      maxProperties: 100,
      propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$", not: { enum: ["items", "count"] } },
      additionalProperties: {
        type: "object",
        required: ["type"],
        additionalProperties: false,
        properties: { type: { enum: ["string", "number", "integer", "boolean"] }, required: { type: "boolean" }, max_length: { type: "integer", minimum: 1, maximum: 100_000 } },
      },
    },
    locales: {
      type: "object",
      minProperties: 1,
      propertyNames: { pattern: LOCALE },
      additionalProperties: {
        type: "object",
        minProperties: 1,
        additionalProperties: false,
        properties: {
          email: channelContent("required", true),
          push: channelContent("required", false),
          sms: channelContent("optional", false),
          in_app: channelContent("optional", false),
        },
      },
    },
  },
} as const;

const channelPrefs = {
  type: "object",
  additionalProperties: false,
  properties: { opted_out: { type: "boolean" }, unsubscribed: { type: "boolean" }, daily_cap: { type: ["integer", "null"], minimum: 0, maximum: 10_000 } },
};

/** PATCH: fields present are set (null clears), fields absent are left as they are. */
export const preferencesSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    email: { type: ["string", "null"], format: "email", maxLength: 254 },
    phone: { type: ["string", "null"], pattern: "^\\+[1-9][0-9]{6,14}$" },
    locale: { type: ["string", "null"], pattern: LOCALE },
    time_zone: { type: "string", minLength: 1, maxLength: 64 },
    quiet_hours: {
      anyOf: [{ type: "null" }, { type: "object", required: ["start", "end"], additionalProperties: false, properties: { start: { type: "string", pattern: HHMM }, end: { type: "string", pattern: HHMM } } }],
    },
    channels: { type: "object", additionalProperties: false, properties: Object.fromEntries(CHANNELS.map((c) => [c, channelPrefs])) },
  },
} as const;

export const pushTargetSchema = {
  oneOf: [
    {
      type: "object",
      required: ["kind", "subscription"],
      additionalProperties: false,
      properties: {
        kind: { const: "webpush" },
        subscription: {
          type: "object",
          required: ["endpoint", "keys"],
          properties: {
            endpoint: { type: "string", pattern: "^https://", maxLength: 2000 },
            keys: { type: "object", required: ["p256dh", "auth"], properties: { p256dh: { type: "string", pattern: "^[A-Za-z0-9_-]{80,100}$" }, auth: { type: "string", pattern: "^[A-Za-z0-9_-]{16,32}$" } } },
          },
        },
      },
    },
    { type: "object", required: ["kind", "token"], additionalProperties: false, properties: { kind: { const: "fcm" }, token: { type: "string", minLength: 20, maxLength: 4096, pattern: "^[\\x21-\\x7e]+$" } } },
  ],
} as const;

export const ruleSchema = {
  type: "object",
  required: ["event_type", "template", "channels"],
  additionalProperties: false,
  properties: {
    event_type: { type: "string", pattern: "^[a-z_]{1,32}$" },
    match: { type: "object", maxProperties: 20, additionalProperties: { anyOf: [{ type: ["string", "number", "boolean"] }, { type: "array", minItems: 1, maxItems: 100, items: { type: ["string", "number", "boolean"] } }] } },
    template: { type: "string", pattern: ID },
    channels: channelList,
    once_per_player: { type: "boolean" },
    enabled: { type: "boolean" },
  },
} as const;

export const idParam = { type: "object", properties: { id: { type: "string", pattern: ID } } } as const;
