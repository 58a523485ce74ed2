// The notifications service's pure decisions: backoff, what an attempt's result means, quiet hours
// across zones and DST, consent and preferences, trigger rules. Expected values are worked out by
// hand (UTC offsets from the zones' published rules), not by the code under test.
import { backoffMs, nextStep } from "../../../apps/notifications/backoff";
import type { Rule } from "../../../apps/notifications/catalog";
import { decide, type DecisionInput } from "../../../apps/notifications/decide";
import { requestHash } from "../../../apps/notifications/intake";
import { isTimeZone, localClock, quietUntil } from "../../../apps/notifications/local-time";
import { NO_RECIPIENT, type Template } from "../../../apps/notifications/model";
import { matches, ruleRequest } from "../../../apps/notifications/triggers";

describe("backoff", () => {
  test("equal jitter: attempt n waits between half and all of base * 2^(n-1), capped", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffMs(30, 1000, 60_000, () => 0)).toBe(30_000);
  });

  const now = new Date("2026-01-01T00:00:00Z");
  const policy = { baseMs: 1000, maxMs: 60_000 };
  test("a permanent failure is dead at once; transient ones retry until the limit, honouring Retry-After", () => {
    expect(nextStep({ ok: true, provider: "p", response: "250" }, 1, 5, policy, now)).toEqual({ kind: "delivered" });
    expect(nextStep({ ok: false, kind: "permanent", provider: "p", reason: "smtp_550", detail: "no" }, 1, 5, policy, now)).toEqual({ kind: "dead", dlqReason: "permanent_failure", reason: "smtp_550", detail: "no" });
    const transient = { ok: false as const, kind: "transient" as const, provider: "p", reason: "http_429", detail: "slow down", retryAfterMs: 30_000 };
    expect(nextStep(transient, 2, 5, policy, now, () => 0)).toEqual({ kind: "retry", at: new Date("2026-01-01T00:00:30Z"), reason: "http_429" });
    expect(nextStep({ ...transient, retryAfterMs: undefined }, 2, 5, policy, now, () => 0)).toEqual({ kind: "retry", at: new Date("2026-01-01T00:00:01Z"), reason: "http_429" });
    expect(nextStep(transient, 5, 5, policy, now)).toMatchObject({ kind: "dead", dlqReason: "attempts_exhausted", detail: "5 attempts; last: slow down" });
  });
});

describe("local time and quiet hours", () => {
  test("the wall clock and date in a zone", () => {
    expect(localClock(new Date("2026-06-30T23:30:00Z"), "Asia/Tokyo")).toEqual({ date: "2026-07-01", seconds: 8 * 3600 + 30 * 60 });
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  const q = { start: "22:00", end: "08:00" };
  test("inside a window that wraps midnight: until its end in the player's zone; outside: null", () => {
    // Paris in January is UTC+1: 23:15 local is 22:15Z, 08:00 local is 07:00Z next day.
    expect(quietUntil(new Date("2026-01-10T22:15:00Z"), "Europe/Paris", q)).toEqual(new Date("2026-01-11T07:00:00Z"));
    expect(quietUntil(new Date("2026-01-11T06:59:59Z"), "Europe/Paris", q)).toEqual(new Date("2026-01-11T07:00:00Z"));
    expect(quietUntil(new Date("2026-01-11T07:00:00Z"), "Europe/Paris", q)).toBeNull();
    expect(quietUntil(new Date("2026-01-11T12:00:00Z"), "Europe/Paris", { start: "13:00", end: "14:00" })).toEqual(new Date("2026-01-11T13:00:00Z"));
    expect(quietUntil(new Date("2026-01-11T12:00:00Z"), "Europe/Paris", { start: "09:00", end: "09:00" })).toBeNull();
  });

  test("across a DST change the end is still the local end", () => {
    // New York springs forward on 2026-03-08 at 02:00 EST: 01:00 EST is 06:00Z; 08:00 EDT (UTC-4) is 12:00Z.
    expect(quietUntil(new Date("2026-03-08T06:00:00Z"), "America/New_York", q)).toEqual(new Date("2026-03-08T12:00:00Z"));
    // ...and falls back on 2026-11-01 at 02:00 EDT: 23:00 EDT (Oct 31) is 03:00Z; 08:00 EST (UTC-5) is 13:00Z.
    expect(quietUntil(new Date("2026-11-01T03:00:00Z"), "America/New_York", q)).toEqual(new Date("2026-11-01T13:00:00Z"));
  });
});

describe("decide", () => {
  const base: DecisionInput = { channel: "email", category: "transactional", recipient: NO_RECIPIENT, consent: { suppressed: false, marketingConsent: undefined }, hasAddress: true, now: new Date("2026-01-10T12:00:00Z") };
  const prefs = (p: Partial<{ optedOut: boolean; unsubscribed: boolean; dailyCap: number | null }>) => ({ ...NO_RECIPIENT, channels: { email: { optedOut: false, unsubscribed: false, dailyCap: null, ...p } } });
  const cases: [string, Partial<DecisionInput>, ReturnType<typeof decide>][] = [
    ["plain", {}, { kind: "send", cap: null }],
    ["suppressed player, even critical", { category: "critical", consent: { suppressed: true, marketingConsent: true } }, { kind: "suppress", reason: "player_suppressed" }],
    ["unsubscribed, even critical", { category: "critical", recipient: prefs({ unsubscribed: true }) }, { kind: "suppress", reason: "unsubscribed" }],
    ["opted out", { recipient: prefs({ optedOut: true }) }, { kind: "suppress", reason: "opted_out" }],
    ["opted out, critical", { category: "critical", recipient: prefs({ optedOut: true }) }, { kind: "send", cap: null }],
    ["marketing without a profile", { category: "marketing" }, { kind: "suppress", reason: "no_marketing_consent" }],
    ["marketing with consent", { category: "marketing", consent: { suppressed: false, marketingConsent: true } }, { kind: "send", cap: null }],
    ["no address", { hasAddress: false }, { kind: "suppress", reason: "no_contact" }],
    ["cap, on the player's local day", { recipient: { ...prefs({ dailyCap: 3 }), timeZone: "Pacific/Kiritimati" } }, { kind: "send", cap: { limit: 3, day: "2026-01-11" } }],
    ["cap does not bind critical", { category: "critical", recipient: prefs({ dailyCap: 0 }) }, { kind: "send", cap: null }],
    ["quiet hours", { recipient: { ...NO_RECIPIENT, quietHours: { start: "11:00", end: "13:00" } } }, { kind: "defer", until: new Date("2026-01-10T13:00:00Z"), reason: "quiet_hours" }],
    ["quiet hours, critical", { category: "critical", recipient: { ...NO_RECIPIENT, quietHours: { start: "11:00", end: "13:00" } } }, { kind: "send", cap: null }],
    ["quiet hours, in-app", { channel: "in_app", recipient: { ...NO_RECIPIENT, quietHours: { start: "11:00", end: "13:00" } } }, { kind: "send", cap: null }],
  ];
  test.each(cases)("%s", (_name, change, expected) => expect(decide({ ...base, ...change })).toEqual(expected));
});

describe("trigger rules", () => {
  const rule: Rule = { gameId: "g", ruleId: "lvl", eventType: "progression", match: { status: "complete", levels: ["x"] }, templateId: "t", channels: ["push"], oncePerPlayer: false, since: new Date("2026-01-01T00:00:00Z") };
  const event = { event_id: "e1", game_id: "g", player_id: "p", type: "progression", status: "complete", score: 10, received_at: "2026-01-02T00:00:00Z" };
  const template = { variables: { score: { type: "integer" }, status: { type: "string" }, missing: { type: "string" } } } as unknown as Template;
  test("match on type, fields and time of arrival", () => {
    expect(matches({ ...rule, match: { status: "complete" } }, event)).toBe(true);
    expect(matches({ ...rule, match: { status: ["fail", "complete"] } }, event)).toBe(true);
    expect(matches({ ...rule, match: { status: "fail" } }, event)).toBe(false);
    expect(matches({ ...rule, eventType: "purchase", match: {} }, event)).toBe(false);
    expect(matches({ ...rule, match: {} }, { ...event, received_at: "2025-12-31T23:59:59Z" })).toBe(false);
  });
  test("the request: declared variables from the event, a key per event or per player", () => {
    expect(ruleRequest(rule, event, template)).toEqual({ game_id: "g", idempotency_key: "rule:lvl:event:e1", player_id: "p", template: "t", channels: ["push"], data: { score: 10, status: "complete" } });
    expect(ruleRequest({ ...rule, oncePerPlayer: true }, event, template).idempotency_key).toBe("rule:lvl:player:p");
  });
  test("a request hashes the same whatever the order of its fields", () => {
    const a = { game_id: "g", idempotency_key: "k", player_id: "p", template: "t", data: { a: 1, b: 2 } };
    const b = { data: { b: 2, a: 1 }, template: "t", player_id: "p", idempotency_key: "k", game_id: "g" };
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).not.toBe(requestHash({ ...a, data: { a: 1, b: 3 } }));
  });
});
