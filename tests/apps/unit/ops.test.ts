// The operators' views, pure parts: a DLQ record as shown and replayed (one code path for the CLI and
// the API), the ingestion counters and their increase over a window, consumer lag, the settings.
import { createIngestionMetrics } from "../../../apps/ingestion/metrics";
import { chooseDlqRecords, dlqItem, dlqReplay, groupMatcher, type InRecord, lagOf } from "../../../apps/shared/kafka";
import { loadOpsConfig } from "../../../apps/users/ops/config";
import { counterSum, countsOf, errorRatio, increase, INGESTION_COUNTERS } from "../../../apps/users/ops/counters";
import { windowRatio } from "../../../apps/users/ops/error-ratio";

const dlq = (offset: string, headers: Record<string, string>, value: string | null = '{"a":1}'): InRecord => ({
  topic: "system.dlq", partition: 0, offset, timestamp: Date.parse("2026-03-01T10:00:00Z"), key: Buffer.from("p1"), value: value === null ? null : Buffer.from(value), headers,
});
const fromRaw = (offset: string, reason: string) =>
  dlq(offset, { "dlq-reason": reason, "dlq-detail": `why ${offset}`, "dlq-source-topic": "player.events.raw", "dlq-source-partition": "1", "dlq-source-offset": `1${offset}`, "dlq-time": "2026-03-01T10:00:01.5Z" });

describe("a DLQ record", () => {
  it("is summarized from its dlq-* headers, with a payload preview cut at the limit", () => {
    expect(dlqItem(fromRaw("7", "unknown_game"))).toEqual({
      offset: "7", time: "2026-03-01T10:00:01.500Z", reason: "unknown_game", detail: "why 7", source: { topic: "player.events.raw", partition: 1, offset: "17" }, key: "p1",
      payload: { preview: '{"a":1}', bytes: 7, truncated: false },
    });
    const big = dlqItem(dlq("8", { "dlq-reason": "delivery_failed" }, "é".repeat(3000)), 4096);
    expect([big.payload.bytes, big.payload.truncated, Buffer.byteLength(big.payload.preview) <= 4096 + 2, big.source, big.time]).toEqual([6000, true, true, null, "2026-03-01T10:00:00.000Z"]);
    expect(dlqItem(dlq("9", {}, null)).payload).toEqual({ preview: "", bytes: 0, truncated: false });
  });

  it("is chosen by offsets (naming the missing ones), by reason, or all of them", () => {
    const records = [fromRaw("1", "unknown_game"), fromRaw("2", "schema_invalid"), fromRaw("3", "unknown_game")];
    expect(chooseDlqRecords(records, { offsets: ["3", "1", "5", "3"] })).toEqual({ chosen: [records[0], records[2]], missing: ["5"] });
    expect(chooseDlqRecords(records, { reason: "unknown_game" }).chosen.map((r) => r.offset)).toEqual(["1", "3"]);
    expect(chooseDlqRecords(records, { all: true }).chosen).toHaveLength(3);
  });

  it("replays to its source topic as first sent, marked with where it came from; a record from no topic has no replay", () => {
    expect(dlqReplay(fromRaw("4", "unknown_game"), "system.dlq")).toEqual({ topic: "player.events.raw", key: "p1", value: Buffer.from('{"a":1}'), headers: { "dlq-replay-of": "system.dlq@4" } });
    expect(dlqReplay(dlq("5", { "dlq-reason": "delivery_failed", "dlq-source": "notifications" }), "system.dlq")).toBeUndefined();
  });
});

describe("the ingestion error ratio", () => {
  const exposition = [
    "# HELP ingestion_events_rejected_total Events not accepted, by reason",
    "# TYPE ingestion_events_rejected_total counter",
    'ingestion_events_rejected_total{reason="invalid",service="ingestion"} 3',
    'ingestion_events_rejected_total{reason="odd } label",service="ingestion"} 2',
    'ingestion_events_accepted_total{type="design",service="ingestion"} 10',
    'ingestion_events_accepted_total_other{type="x"} 99',
    'ingestion_events_suppressed_total{service="ingestion"} 1',
  ].join("\n");

  it("reads the counters the ingestion service registers, summed over their labels", async () => {
    const names = (await createIngestionMetrics().registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(INGESTION_COUNTERS)));
    expect(countsOf(exposition)).toEqual({ accepted: 10, rejected: 5, suppressed: 1 });
    expect(counterSum("", INGESTION_COUNTERS.rejected)).toBe(0);
  });

  it("increases over samples as Prometheus does: a missed scrape is skipped, a restart is a reset", () => {
    expect(increase([1, 4, undefined, 6])).toBe(5);
    expect(increase([10, 12, 3, 5])).toBe(2 + 3 + 2);
    expect(increase([undefined, 7])).toBe(0);
  });

  it("is rejected over received in the window; null with no events or fewer than two samples", () => {
    const at = (s: number, accepted: number, rejected: number) => ({ at: s * 1000, counts: new Map([["u", { accepted, rejected, suppressed: 0 }]]) });
    expect(windowRatio([at(0, 0, 0), at(100, 50, 50), at(400, 80, 60)], 400_000, 300_000)).toEqual({ ratio: 10 / 40, rejected: 10, received: 40, windowSeconds: 300, source: "scrape" });
    expect(windowRatio([at(0, 0, 0)], 1000, 300_000)).toBeNull();
    expect(errorRatio({ accepted: 0, rejected: 0, suppressed: 0 }, 300, "prometheus").ratio).toBeNull();
  });
});

describe("consumer lag", () => {
  it("is the end offsets minus the committed ones, per topic and partition, never negative", () => {
    const committed = new Map([["t.raw", new Map([[0, 5n], [1, 9n]])]]);
    expect(lagOf({ group: "g", state: "Stable", committed }, new Map([["t.raw", new Map([[0, 8n], [1, 9n]])]]))).toEqual({
      group: "g", state: "Stable",
      topics: [{ topic: "t.raw", lag: 3, partitions: [{ partition: 0, committed: "5", end: "8", lag: 3 }, { partition: 1, committed: "9", end: "9", lag: 0 }] }],
    });
  });

  it("covers the groups named exactly or by prefix", () => {
    const m = groupMatcher(["gamemetrics.processor", "gamemetrics.analytics.*"]);
    expect(["gamemetrics.processor", "gamemetrics.processor2", "gamemetrics.analytics.pod-1", "gamemetrics.users.x"].map(m)).toEqual([true, false, true, false]);
  });
});

describe("the operator settings", () => {
  it("prefix the groups as the topics, pick one error-ratio source, and name a bad value", () => {
    expect(loadOpsConfig({ OPS_CONSUMER_GROUPS: "gamemetrics.processor,gamemetrics.analytics.*", OPS_INGESTION_METRICS_URLS: "http://127.0.0.1:1/metrics" }, "t.")).toEqual({
      consumerGroups: ["t.gamemetrics.processor", "t.gamemetrics.analytics.*"],
      errorRatio: { kind: "scrape", urls: ["http://127.0.0.1:1/metrics"], intervalMs: 15_000 },
      readerGroupPrefix: "t.gamemetrics.users",
    });
    expect(loadOpsConfig({ OPS_PROMETHEUS_URL: "http://kps-prometheus:9090/" }, "").errorRatio).toEqual({ kind: "prometheus", url: "http://kps-prometheus:9090" });
    expect(loadOpsConfig({}, "").errorRatio).toEqual({ kind: "none" });
    expect(() => loadOpsConfig({ OPS_PROMETHEUS_URL: "http://p:9090", OPS_INGESTION_METRICS_URLS: "http://i/metrics" }, "")).toThrow("are both set");
    expect(() => loadOpsConfig({ OPS_CONSUMER_GROUPS: "a b" }, "")).toThrow('OPS_CONSUMER_GROUPS item "a b" is invalid');
  });
});
