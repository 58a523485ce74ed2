import { randomUUID } from "node:crypto";
import { GameEvent, SPECIFIC_FIELDS, WireEvent } from "./catalog";

/** How far a client clock may be from the server's before it is clamped. */
export interface ClockPolicy {
  maxPastMs: number;
  maxFutureMs: number;
}

export const DEFAULT_CLOCK_POLICY: ClockPolicy = { maxPastMs: 30 * 86_400_000, maxFutureMs: 3_600_000 };

export function clampTime(clientMs: number, receivedMs: number, policy: ClockPolicy): number {
  return Math.min(Math.max(clientMs, receivedMs - policy.maxPastMs), receivedMs + policy.maxFutureMs);
}

// Events received in the same millisecond (a batch, or a burst of single events) share
// their received_at; formatting it once per millisecond saves a Date and a string per event.
let received = { ms: Number.NaN, iso: "" };
function receivedIso(ms: number): string {
  if (ms !== received.ms) received = { ms, iso: new Date(ms).toISOString() };
  return received.iso;
}

/**
 * The form ingestion publishes: ids and game filled in, client time kept (as its UTC instant) and
 * event_time clamped into a sane window around the server's receive time.
 */
export function toWireEvent(e: GameEvent, gameId: string, receivedMs: number, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): WireEvent {
  const clientMs = e.event_time === undefined ? receivedMs : Date.parse(e.event_time);
  const eventMs = clampTime(clientMs, receivedMs, policy);
  const receivedAt = receivedIso(receivedMs);
  return {
    ...e,
    event_id: e.event_id ?? randomUUID(),
    game_id: gameId,
    event_time: eventMs === receivedMs ? receivedAt : new Date(eventMs).toISOString(),
    // The client's time as the instant it names, in milliseconds: JavaScript keeps milliseconds and
    // PostgreSQL would round finer digits to microseconds, so both stores hold the same value.
    client_time: e.event_time === undefined ? null : new Date(clientMs).toISOString(),
    received_at: receivedAt,
  };
}

/** The type-specific fields of an event, stored as its payload. */
export function payloadOf(e: GameEvent): Record<string, unknown> {
  const src = e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of SPECIFIC_FIELDS[e.type]) if (src[k] !== undefined) out[k] = src[k];
  return out;
}
