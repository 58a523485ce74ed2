import { WireEvent } from "../shared/events/catalog";
import { payloadOf } from "../shared/events/normalize";
import { FieldError, Validation } from "../shared/events/validate";
import type { InRecord } from "../shared/kafka";

const PLATFORM_ALIASES: Record<string, string> = {
  ios: "ios", iphone: "ios", "iphone os": "ios", ipados: "ios",
  android: "android",
  web: "web", webgl: "web", html5: "web",
  windows: "windows", win: "windows", pc: "windows",
  mac: "macos", macos: "macos", osx: "macos", "mac os x": "macos",
  linux: "linux",
  ps4: "playstation", ps5: "playstation", playstation: "playstation",
  xbox: "xbox", "xbox one": "xbox", "xbox series": "xbox",
  switch: "switch", nintendo: "switch",
};

/** Canonical platform name: known aliases folded, anything else lower-cased as sent. */
export function normalizePlatform(p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  const k = p.trim().toLowerCase();
  return PLATFORM_ALIASES[k] ?? k;
}

/** What goes to `player.events.processed`. */
export type EnrichedEvent = WireEvent & { event_day: string };

/** One row of player_events. */
export interface EventRow {
  event_id: string;
  event_time: string;
  event_day: string;
  received_at: string;
  client_time: string | null;
  game_id: string;
  player_id: string;
  session_id: string | null;
  event_type: string;
  platform: string | null;
  app_version: string | null;
  payload: Record<string, unknown>;
  src_partition: number;
  src_offset: string;
}

export type DlqReason = "unparseable" | "schema_invalid" | "unknown_game" | "db_refused";

export type Decoded =
  | { kind: "ok"; event: EnrichedEvent; row: EventRow; record: InRecord }
  | { kind: "dlq"; reason: DlqReason; detail: string; record: InRecord };

function describe(errors: FieldError[]): string {
  return errors.map((e) => `${e.path} ${e.message}`).join("; ");
}

/** Parses, validates and enriches one Kafka record; a pure step, no I/O. */
export function decode(record: InRecord, validate: (input: unknown) => Validation<WireEvent>): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value?.toString("utf8") ?? "");
  } catch (err) {
    return { kind: "dlq", reason: "unparseable", detail: `not JSON: ${(err as Error).message}`, record };
  }
  const v = validate(parsed);
  if (!v.ok) return { kind: "dlq", reason: "schema_invalid", detail: describe(v.errors), record };
  const e = v.value;
  const ms = Date.parse(e.event_time);
  // The schema accepts RFC 3339 times JavaScript cannot read (a leap second): such a record would throw below.
  if (!Number.isFinite(ms)) return { kind: "dlq", reason: "schema_invalid", detail: `/event_time "${e.event_time}" is not a time JavaScript can hold`, record };
  const day = new Date(ms).toISOString().slice(0, 10);
  const event: EnrichedEvent = { ...e, event_day: day, platform: normalizePlatform(e.platform) };
  const row: EventRow = {
    event_id: e.event_id,
    event_time: e.event_time,
    event_day: day,
    received_at: e.received_at,
    client_time: e.client_time,
    game_id: e.game_id,
    player_id: e.player_id,
    session_id: e.session_id ?? null,
    event_type: e.type,
    platform: event.platform ?? null,
    app_version: e.app_version ?? null,
    payload: payloadOf(e),
    src_partition: record.partition,
    src_offset: record.offset,
  };
  return { kind: "ok", event, row, record };
}
