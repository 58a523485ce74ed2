import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { AnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { createIngestionMetrics } from "../../../apps/ingestion/metrics";
import { CANARY_HASH_ARG, errorRatioQuery, p99LatencyQuery, prometheusAddress } from "../../../infra/delivery/analysis";
import { CANARIES } from "../../../infra/delivery/canary";
import { CATALOG } from "../../../infra/workloads/catalog";
import { appObjects, objectOf, type RenderedFile, renderedFiles, validate } from "./rendered";

let files: RenderedFile[] = [];
beforeAll(async () => {
  files = await renderedFiles("prod");
}, 120_000);
const objects = () => appObjects(files, "ingestion");
const canary = CANARIES.ingestion;
if (canary === undefined) throw new Error("ingestion is delivered by canary");

describe("ingestion's canary Rollout", () => {
  it("validates against the Argo Rollouts CRD models", () => {
    expect(() => validate(new Rollout(objectOf(objects(), "Rollout", "ingestion") as never))).not.toThrow();
    expect(() => validate(new AnalysisTemplate(objectOf(objects(), "AnalysisTemplate", "ingestion-canary") as never))).not.toThrow();
    // And the models do reject a wrong shape.
    expect(() => validate(new Rollout({ metadata: { name: "x" }, spec: { strategy: { canary: { steps: [{ setWeight: "ten" }] } } } } as never))).toThrow();
  });

  it("moves traffic in increasing weight steps below 100, each held by a pause, with the analysis from the first step on", () => {
    const strategy = objectOf(objects(), "Rollout", "ingestion").spec.strategy.canary;
    const steps = strategy.steps as Record<string, unknown>[];
    const weights = steps.filter((s) => "setWeight" in s).map((s) => s.setWeight as number);
    expect(weights).toEqual([10, 25, 50]);
    expect(steps.map((s) => Object.keys(s)[0])).toEqual(["setWeight", "pause", "setWeight", "pause", "setWeight", "pause"]);
    for (const p of steps.filter((s) => "pause" in s)) expect((p.pause as { duration: string }).duration).toMatch(/^\d+m$/);
    expect(strategy.analysis).toEqual({
      templates: [{ templateName: "ingestion-canary" }],
      startingStep: 1,
      args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }],
    });
    // A canary that never gets ready aborts rather than waiting.
    expect(objectOf(objects(), "Rollout", "ingestion").spec).toMatchObject({ progressDeadlineAbort: true, progressDeadlineSeconds: 600 });
  });

  it("routes by ALB weights: stable and canary Services on the app's port, the Ingress forwarding by the actions annotation", () => {
    const strategy = objectOf(objects(), "Rollout", "ingestion").spec.strategy.canary;
    const listener = CATALOG.ingestion.kind === "service" ? CATALOG.ingestion.listener : undefined;
    expect(strategy).toMatchObject({ stableService: "ingestion", canaryService: "ingestion-canary", trafficRouting: { alb: { ingress: "ingestion", servicePort: listener?.port } } });
    for (const name of ["ingestion", "ingestion-canary"]) {
      expect(objectOf(objects(), "Service", name).spec.ports.map((p: { port: number }) => p.port)).toEqual([listener?.port]);
      expect(objectOf(objects(), "Service", name).spec.selector).toEqual(objectOf(objects(), "Rollout", "ingestion").spec.selector.matchLabels);
    }
    const backend = objectOf(objects(), "Ingress", "ingestion").spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: "ingestion", port: { name: "use-annotation" } });
    expect(objectOf(objects(), "HorizontalPodAutoscaler", "ingestion").spec.scaleTargetRef).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "ingestion" });
    expect(objects().filter((m) => m.kind === "Deployment")).toEqual([]);
  });

  it("scrapes every ingestion pod with its ReplicaSet hash, so the analysis can tell canary from stable", () => {
    expect(objects().filter((m) => m.kind === "ServiceMonitor")).toEqual([]);
    expect(objectOf(objects(), "PodMonitor", "ingestion").spec).toMatchObject({
      selector: { matchLabels: { "app.kubernetes.io/name": "ingestion" } },
      podMetricsEndpoints: [{ port: "http", path: "/metrics" }],
      podTargetLabels: ["rollouts-pod-template-hash"],
    });
  });

  it("aborts past 1% 5xx or a 500 ms p99, after two failed checks, querying the tier's Prometheus endpoint", () => {
    const template = objectOf(objects(), "AnalysisTemplate", "ingestion-canary").spec;
    expect(template.args).toEqual([{ name: CANARY_HASH_ARG }]);
    const byName = Object.fromEntries(template.metrics.map((m: { name: string }) => [m.name, m]));
    expect(byName["error-ratio"]).toMatchObject({ successCondition: "result[0] <= 0.01", failureLimit: 2, interval: "1m" });
    expect(byName["p99-latency"]).toMatchObject({ successCondition: "isNaN(result[0]) || result[0] <= 0.5", failureLimit: 2 });
    expect(byName["error-ratio"].provider.prometheus.address).toBe("http://thanos-query.observability.svc.cluster.local:10902");
    expect(prometheusAddress(false)).toBe("http://kps-prometheus.observability.svc.cluster.local:9090");
  });
});

describe("the analysis queries, run by promtool over the app's own metric names", () => {
  const metrics = createIngestionMetrics();
  afterAll(() => metrics.registry.clear());
  const { requests, latency } = canary.metrics;
  const HASH = "c4n4ry";
  const forCanary = (query: string) => query.replaceAll(`{{args.${CANARY_HASH_ARG}}}`, HASH);

  it("uses a counter and a histogram the ingestion app registers", async () => {
    const registered = Object.fromEntries((await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
    expect({ [requests]: registered[requests], [latency]: registered[latency] }).toEqual({ [requests]: "counter", [latency]: "histogram" });
  });

  it("computes the canary's error ratio and p99 from its series only, and 0 before it has any", () => {
    const series = (name: string, labels: Record<string, string>, values: string) => ({
      series: `${name}{${Object.entries({ namespace: "gamemetrics", service: "ingestion", ...labels }).map(([k, v]) => `${k}="${v}"`).join(",")}}`,
      values,
    });
    const req = (hash: string, status: string, perMinute: number) => series(requests, { rollouts_pod_template_hash: hash, route: "/v1/events", method: "POST", status }, `0+${perMinute}x10`);
    const bucket = (hash: string, le: string, perMinute: number) => series(`${latency}_bucket`, { rollouts_pod_template_hash: hash, le }, `0+${perMinute}x10`);
    // promtool compares samples exactly; rates carry float rounding, so each check asks "within 1e-9" (1 or 0).
    const near = (query: string, expected: number) => ({ expr: `abs((${forCanary(query)}) - ${expected}) < bool 1e-9`, eval_time: "10m", exp_samples: [{ labels: "{}", value: 1 }] });
    const queries = (test: Record<string, unknown>, errorRatio: number, p99: number) => ({
      ...test,
      interval: "1m",
      promql_expr_test: [near(errorRatioQuery(requests, canary.thresholds.window), errorRatio), near(p99LatencyQuery(latency, canary.thresholds.window), p99)],
    });
    const tests = [
      // Canary: 100 accepted and 5 failed per minute -> 5/105. Stable's many errors must not count.
      // Its latency: 90 within 5 ms, 95 within 10 ms, all within 25 ms per minute: rank 99 of 100 lies
      // 4/5 of the way through (10 ms, 25 ms] -> 22 ms.
      queries(
        {
          input_series: [
            req(HASH, "202", 100),
            req(HASH, "503", 5),
            req("st4bl3", "202", 100),
            req("st4bl3", "503", 50),
            bucket(HASH, "0.005", 90),
            bucket(HASH, "0.01", 95),
            bucket(HASH, "0.025", 100),
            bucket(HASH, "+Inf", 100),
            bucket("st4bl3", "0.005", 0),
            bucket("st4bl3", "+Inf", 100),
          ],
        },
        5 / 105,
        0.01 + (0.025 - 0.01) * ((0.99 * 100 - 95) / (100 - 95)),
      ),
      // Before the canary serves anything: no series of its own, and the queries still answer 0.
      queries({ input_series: [req("st4bl3", "503", 50), bucket("st4bl3", "+Inf", 10)] }, 0, 0),
    ];
    const dir = mkdtempSync(join(tmpdir(), "canary-promql-"));
    const file = join(dir, "canary.test.yml");
    writeFileSync(file, yaml.dump({ rule_files: [], evaluation_interval: "1m", tests }));
    const result = spawnSync("promtool", ["test", "rules", file], { encoding: "utf8" });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining("SUCCESS") });
    // And promtool does fail the same check with a wrong expectation.
    writeFileSync(file, yaml.dump({ rule_files: [], evaluation_interval: "1m", tests: [queries(tests[1] as Record<string, unknown>, 1, 0)] }));
    expect(spawnSync("promtool", ["test", "rules", file], { encoding: "utf8" }).status).not.toBe(0);
  });
});
