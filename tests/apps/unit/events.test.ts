import { toWireEvent, clampTime, payloadOf } from "../../../apps/shared/events/normalize";
import { createEventValidators, toFieldErrors } from "../../../apps/shared/events/validate";
import { triage } from "../../../apps/ingestion/accept";
import { errorReply, ApiError } from "../../../apps/ingestion/errors";

const v = createEventValidators();

test("every catalog type validates in its minimal form and rejects unknown fields", () => {
  const ok = [
    { type: "session_start", player_id: "p" },
    { type: "session_end", player_id: "p", length_s: 0 },
    { type: "progression", player_id: "p", status: "start", levels: ["a", "b", "c"] },
    { type: "purchase", player_id: "p", currency: "USD", amount_minor: 0, item_type: "t", item_id: "i" },
    { type: "resource", player_id: "p", flow: "source", currency: "gold", amount: 0.5, item_type: "t", item_id: "i" },
    { type: "design", player_id: "p", design_id: "a.b.c.d.e" },
    { type: "error", player_id: "p", severity: "critical", message: "boom" },
  ];
  for (const e of ok) expect(v.event(e)).toEqual({ ok: true, value: e });
  for (const e of ok) expect(v.event({ ...e, bogus: 1 })).toMatchObject({ ok: false, errors: [{ path: "/bogus" }] });
});

test("errors carry field paths, and only an unknown type counts as unknown_type", () => {
  expect(v.event({ type: "progression", player_id: "p", status: "won", levels: ["1", "2", "3", "4"] })).toEqual({
    ok: false,
    unknownType: false,
    errors: expect.arrayContaining([
      { path: "/status", message: "must be one of start, fail, complete" },
      { path: "/levels", message: "must NOT have more than 3 items" },
    ]),
  });
  expect(v.event({ type: "design", player_id: "p", design_id: "a..b" })).toMatchObject({ ok: false, errors: [{ path: "/design_id" }] });
  expect(v.event({ type: "warp", player_id: "p" })).toMatchObject({ ok: false, unknownType: true });
  expect(v.event({ player_id: "p" })).toEqual({ ok: false, unknownType: false, errors: [{ path: "/type", message: "is required" }] });
  expect(v.event({ type: "design", player_id: "p", design_id: "x", event_id: "nope" })).toMatchObject({ ok: false, errors: [{ path: "/event_id" }] });
  expect(toFieldErrors(null)).toEqual([]);
});

test("the wire form requires what ingestion fills in", () => {
  const wire = toWireEvent({ type: "session_start", player_id: "p" }, "g1", Date.parse("2026-01-02T03:04:05Z"));
  expect(v.wire(wire)).toEqual({ ok: true, value: wire });
  expect(wire).toMatchObject({ game_id: "g1", event_time: "2026-01-02T03:04:05.000Z", received_at: "2026-01-02T03:04:05.000Z", client_time: null });
  expect(v.wire({ ...wire, received_at: undefined })).toMatchObject({ ok: false, errors: [{ path: "/received_at", message: "is required" }] });
});

test("client clocks are clamped into the window around the receive time", () => {
  const policy = { maxPastMs: 1000, maxFutureMs: 100 };
  expect(clampTime(5000, 5000, policy)).toBe(5000);
  expect(clampTime(0, 5000, policy)).toBe(4000);
  expect(clampTime(9000, 5000, policy)).toBe(5100);
  const e = toWireEvent({ type: "session_start", player_id: "p", event_time: "2999-01-01T00:00:00Z", event_id: "8d4f1c9e-4c4b-4b8e-9a57-2a3c2a6d8b10" }, "g", 0);
  expect(e).toMatchObject({ event_time: "1970-01-01T01:00:00.000Z", client_time: "2999-01-01T00:00:00.000Z", event_id: "8d4f1c9e-4c4b-4b8e-9a57-2a3c2a6d8b10" });
});

test("the payload keeps only the type-specific fields", () => {
  expect(payloadOf({ type: "design", player_id: "p", platform: "ios", design_id: "a", value: 2 })).toEqual({ design_id: "a", value: 2 });
});

test("triage keeps good events and reports bad ones by index and reason", () => {
  const r = triage([{ type: "session_start", player_id: "p" }, { type: "x" }, { type: "session_start", player_id: "p", game_id: "other" }], v.event, "mine", 0);
  expect(r.good.map((e) => e.game_id)).toEqual(["mine"]);
  expect(r.rejected.map((x) => [x.index, x.reason])).toEqual([[1, "unknown_type"], [2, "forbidden_game"]]);
});

test("errors map to precise statuses", () => {
  expect(errorReply({ code: "FST_ERR_CTP_BODY_TOO_LARGE", message: "" }).status).toBe(413);
  expect(errorReply({ code: "FST_ERR_CTP_INVALID_MEDIA_TYPE", message: "" }).status).toBe(415);
  expect(errorReply(new SyntaxError("Unexpected end")).body.error).toBe("malformed_json");
  expect(errorReply(new ApiError(503, "unavailable", "later", undefined, { "retry-after": "5" }))).toEqual({
    status: 503,
    body: { error: "unavailable", message: "later", details: undefined },
    headers: { "retry-after": "5" },
  });
  expect(errorReply(new Error("disk on fire"))).toMatchObject({ status: 500, body: { error: "internal", message: "internal error" } });
});
