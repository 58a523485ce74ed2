// Every PrometheusRule the program renders passes `promtool check rules`, and the platform's own alerts
// fire when they should and stay quiet when they should (`promtool test rules`). promtool is Debian's
// `prometheus` package; .ci/run installs it when absent, and this test fails (never skips) without it.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import type { Capture } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";

const captures: Record<string, Capture> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) captures[stack] = await cachedCapture({ stack });
}, 240_000);

function promtool(args: string[]): { status: number; output: string } {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  if (r.error !== undefined) throw new Error(`promtool is not installed (apt-get install prometheus; .ci/run does it): ${r.error.message}`);
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

type Groups = { groups: unknown[] };
const ruleFiles = (c: Capture): { name: string; body: Groups }[] =>
  c.resources
    .filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    .map((r) => ({ name: String((r.inputs.metadata as { name: string }).name), body: { groups: (r.inputs.spec as Groups).groups } }));

function write(dir: string, file: string, body: unknown): string {
  const path = join(dir, file);
  writeFileSync(path, typeof body === "string" ? body : yaml.dump(body));
  return path;
}

describe("PrometheusRules", () => {
  it("promtool is on the machine", () => {
    expect(execFileSync("promtool", ["--version"], { encoding: "utf8" }) + "").toMatch(/promtool, version/);
  });

  it.each(["dev", "prod"])("every rule the %s stack renders is valid PromQL (promtool check rules)", (stack) => {
    const files = ruleFiles(captures[stack]);
    expect(files.map((f) => f.name)).toContain("gamemetrics-platform");
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    for (const f of files) {
      const r = promtool(["check", "rules", write(dir, `${f.name}.yml`, f.body)]);
      expect([f.name, r.status, r.output]).toEqual([f.name, 0, expect.stringContaining("SUCCESS")]);
    }
  });

  it("catches a bad expression", () => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const bad = { groups: [{ name: "bad", rules: [{ alert: "Broken", expr: "sum(rate(ingestion_http_requests_total[5m]) > ", for: "5m" }] }] };
    const r = promtool(["check", "rules", write(dir, "bad.yml", bad)]);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/FAILED|parse error/);
  });
});

// Unit tests of the platform's alerts at the free tier's thresholds (lag 10000, 5% errors), written
// out by hand: series in, the alerts and annotations Prometheus would send out.
const UNIT_TESTS = `
rule_files: [gamemetrics-platform.yml]
evaluation_interval: 1m
tests:
  - name: consumer lag over the threshold fires after 10 minutes, not before; under it never
    interval: 1m
    input_series:
      - series: 'kafka_consumergroup_lag{consumergroup="gamemetrics.processor",topic="player.events.raw",partition="0"}'
        values: '15000x30'
      - series: 'kafka_consumergroup_lag{consumergroup="gamemetrics.processor",topic="player.events.raw",partition="1"}'
        values: '5000x30'
      - series: 'kafka_consumergroup_lag{consumergroup="gamemetrics.quiet",topic="player.events.processed",partition="0"}'
        values: '9999x30'
    alert_rule_test:
      - eval_time: 9m
        alertname: KafkaConsumerLagHigh
        exp_alerts: []
      - eval_time: 12m
        alertname: KafkaConsumerLagHigh
        exp_alerts:
          - exp_labels: { severity: warning, consumergroup: gamemetrics.processor, topic: player.events.raw }
            exp_annotations:
              summary: Consumer group gamemetrics.processor is 20000 messages behind on player.events.raw
              description: "Lag above 10000 for 10 minutes: the consumers are slower than the producers or stuck."
  - name: messages reaching the DLQ fire within 5 minutes; a still DLQ is quiet
    interval: 1m
    input_series:
      - series: 'kafka_topic_partition_current_offset{topic="system.dlq",partition="0"}'
        values: '0x20 0+3x20' # flat to 21m, then +3 a minute: 42 between 20m and 35m
      - series: 'kafka_topic_partition_current_offset{topic="player.events.raw",partition="0"}'
        values: '0+1000x40'
    alert_rule_test:
      - eval_time: 15m
        alertname: DeadLetterQueueGrowing
        exp_alerts: []
      - eval_time: 35m
        alertname: DeadLetterQueueGrowing
        exp_alerts:
          - exp_labels: { severity: warning }
            exp_annotations:
              summary: 42 messages reached system.dlq in the last 15 minutes
              description: Poison messages are being dead-lettered to system.dlq; each carries its reason.
  - name: ingestion 5xx above 5% pages after 5 minutes; 1% does not
    interval: 1m
    input_series:
      - series: 'ingestion_http_requests_total{status="202"}'
        values: '0+100x20'
      - series: 'ingestion_http_requests_total{status="503"}'
        values: '0+10x20'
    alert_rule_test:
      - eval_time: 4m
        alertname: IngestionErrorRatioHigh
        exp_alerts: []
      - eval_time: 12m
        alertname: IngestionErrorRatioHigh
        exp_alerts:
          - exp_labels: { severity: critical }
            exp_annotations:
              summary: 9.091% of ingestion requests fail with 5xx
              description: "Clients are told their events were not stored (usually Kafka unavailable); they must retry."
  - name: a 1% error ratio stays under the free tier's 5%
    interval: 1m
    input_series:
      - series: 'ingestion_http_requests_total{status="202"}'
        values: '0+99x20'
      - series: 'ingestion_http_requests_total{status="500"}'
        values: '0+1x20'
    alert_rule_test:
      - eval_time: 15m
        alertname: IngestionErrorRatioHigh
        exp_alerts: []
`;

describe("the platform's alerts", () => {
  it("fire on consumer lag, DLQ growth and the ingestion error ratio, and only then (promtool test rules)", () => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const platform = ruleFiles(captures.dev).find((f) => f.name === "gamemetrics-platform");
    write(dir, "gamemetrics-platform.yml", platform?.body);
    const r = promtool(["test", "rules", write(dir, "tests.yml", UNIT_TESTS)]);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining("SUCCESS")]);
  });

  it("would catch an alert that no longer fires (the same tests against a broken threshold)", () => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const platform = ruleFiles(captures.dev).find((f) => f.name === "gamemetrics-platform");
    write(dir, "gamemetrics-platform.yml", JSON.parse(JSON.stringify(platform?.body).replace("> 10000", "> 50000")));
    const r = promtool(["test", "rules", write(dir, "tests.yml", UNIT_TESTS)]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("KafkaConsumerLagHigh");
  });
});
