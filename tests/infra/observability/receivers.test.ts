import { type Capture, SECRET } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";
import { planNotes } from "../../../infra/tools/plan-notes";
import { stackPlatformConfig } from "../../../infra/tools/plan";
import { named } from "../tree";
import { at, owned, values } from "./view";

const SLACK = "gamemetrics:slackWebhookUrl=https://hooks.slack.com/services/T000/B000/offline-slack-token";
const PAGERDUTY = "gamemetrics:pagerdutyRoutingKey=offline-pagerduty-routing-key";
const NOTE = /^alerting: /;

interface Run {
  capture: Capture;
  notes: string[];
}
const runs = {} as Record<"none" | "slack" | "both", Run>;

async function run(stack: string, config: string[]): Promise<Run> {
  const result = await cachedCapture({ stack, config });
  return { capture: result, notes: planNotes(stackPlatformConfig(stack, config)) };
}

beforeAll(async () => {
  runs.none = await run("dev", []);
  runs.slack = await run("dev", [SLACK]);
  runs.both = await run("prod", [SLACK, PAGERDUTY]);
}, 180_000);

const receiverNames = (c: Capture) => (at(values(c, "stack"), "alertmanager.config.receivers") as { name: string }[]).map((r) => r.name);

describe("Alertmanager receivers from secret stack config", () => {
  it("without secrets: only the null receiver, and the plan says so naming both keys", () => {
    expect(receiverNames(runs.none.capture)).toEqual(["null"]);
    const note = runs.none.notes.find((n) => NOTE.test(n));
    expect(note).toContain("gamemetrics:slackWebhookUrl");
    expect(note).toContain("gamemetrics:pagerdutyRoutingKey");
    expect(note).toContain("null receiver");
  });

  it("with the Slack webhook only: Slack is the default route, the URL is a mounted file, PagerDuty is absent", () => {
    const c = runs.slack.capture;
    expect(receiverNames(c)).toEqual(["null", "slack"]);
    const v = values(c, "stack");
    expect(at(v, "alertmanager.config.route.receiver")).toBe("slack");
    expect(at(v, "alertmanager.alertmanagerSpec.secrets")).toEqual(["alertmanager-receivers"]);
    const receivers = at(v, "alertmanager.config.receivers") as Record<string, unknown>[];
    expect(at(receivers[1], "slack_configs")).toEqual([
      expect.objectContaining({ api_url_file: "/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url", send_resolved: true }),
    ]);
    const secret = named(owned(c), "kubernetes:core/v1:Secret", "observability-receivers");
    expect(at(secret.inputs, "stringData")).toBe(SECRET);
    expect(JSON.stringify(c)).not.toContain("offline-slack-token");
    const note = runs.slack.notes.find((n) => NOTE.test(n));
    expect(note).toContain("gamemetrics:pagerdutyRoutingKey");
    expect(note).not.toContain("gamemetrics:slackWebhookUrl");
  });

  it("with both: critical alerts page through PagerDuty and continue to Slack; no plan note", () => {
    const c = runs.both.capture;
    expect(receiverNames(c)).toEqual(["null", "slack", "pagerduty"]);
    const v = values(c, "stack");
    expect(at(v, "alertmanager.config.route.routes")).toContainEqual({ receiver: "pagerduty", matchers: ['severity = "critical"'], continue: true });
    const receivers = at(v, "alertmanager.config.receivers") as Record<string, unknown>[];
    expect(at(receivers[2], "pagerduty_configs")).toEqual([
      { routing_key_file: "/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key", send_resolved: true },
    ]);
    expect(JSON.stringify(c)).not.toContain("offline-pagerduty-routing-key");
    expect(runs.both.notes.filter((n) => NOTE.test(n))).toEqual([]);
  });
});
