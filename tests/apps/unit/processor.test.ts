import { decode, normalizePlatform } from "../../../apps/processor/enrich";
import { dlqRecord } from "../../../apps/processor/handler";
import { toWireEvent } from "../../../apps/shared/events/normalize";
import { createEventValidators } from "../../../apps/shared/events/validate";
import type { InRecord } from "../../../apps/shared/kafka";

const validate = createEventValidators().wire;
const rec = (value: string | null): InRecord => ({
  topic: "player.events.raw", partition: 1, offset: "42", timestamp: 0, key: Buffer.from("p"), value: value === null ? null : Buffer.from(value), headers: {},
});

test("platform names are folded to canonical ones", () => {
  expect(["iPhone OS", " Android ", "WebGL", "PS5", "FireOS", undefined].map(normalizePlatform)).toEqual(["ios", "android", "web", "playstation", "fireos", undefined]);
});

test("a good record becomes an enriched event and a row", () => {
  const wire = toWireEvent({ type: "purchase", player_id: "p", platform: "iphone", currency: "USD", amount_minor: 99, item_type: "t", item_id: "i", event_time: "2026-03-01T23:59:59+02:00" }, "g", Date.parse("2026-03-01T22:00:00Z"));
  const d = decode(rec(JSON.stringify(wire)), validate);
  expect(d.kind).toBe("ok");
  if (d.kind !== "ok") return;
  expect(d.event).toMatchObject({ platform: "ios", event_day: "2026-03-01" });
  expect(d.row).toMatchObject({ event_type: "purchase", event_day: "2026-03-01", event_time: "2026-03-01T21:59:59.000Z", payload: { currency: "USD", amount_minor: 99, item_type: "t", item_id: "i" }, src_partition: 1, src_offset: "42" });
});

test("poison is classified with a reason and becomes a DLQ record with its source", () => {
  expect(decode(rec("{x"), validate)).toMatchObject({ kind: "dlq", reason: "unparseable" });
  expect(decode(rec(null), validate)).toMatchObject({ kind: "dlq", reason: "unparseable" });
  const bad = decode(rec(JSON.stringify({ type: "design", player_id: "p" })), validate);
  expect(bad).toMatchObject({ kind: "dlq", reason: "schema_invalid", detail: expect.stringContaining("/design_id is required") });
  if (bad.kind !== "dlq") return;
  const out = dlqRecord(bad, "system.dlq", new Date(0));
  expect(out).toMatchObject({ topic: "system.dlq", key: "p", headers: { "dlq-reason": "schema_invalid", "dlq-source-topic": "player.events.raw", "dlq-source-partition": "1", "dlq-source-offset": "42", "dlq-time": "1970-01-01T00:00:00.000Z" } });
  expect(out.value.toString()).toBe(JSON.stringify({ type: "design", player_id: "p" }));
});
