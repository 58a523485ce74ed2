import { ALERT_RECEIVER_KEYS, type AlertReceiver } from "../config/sections/observability";

/** Which notification receivers have their secret set in stack config. */
export type ReceiverSet = Readonly<Record<AlertReceiver, boolean>>;

const NAMESPACE = "gamemetrics";

/** Decided by key presence alone, so the plan can say it without decrypting anything. */
export function configuredReceivers(otherKeys: readonly string[]): ReceiverSet {
  const has = (r: AlertReceiver) => otherKeys.includes(ALERT_RECEIVER_KEYS[r]);
  return { slack: has("slack"), pagerduty: has("pagerduty") };
}

/** The Secret holding the receiver credentials; Alertmanager mounts it and reads them as files, so they never enter the config. */
export const RECEIVER_SECRET = "alertmanager-receivers";
export const RECEIVER_FILES: Readonly<Record<AlertReceiver, string>> = { slack: "slack-webhook-url", pagerduty: "pagerduty-routing-key" };
/** Where the Prometheus Operator mounts `alertmanagerSpec.secrets`. */
const SECRET_DIR = `/etc/alertmanager/secrets/${RECEIVER_SECRET}`;

export const anyReceiver = (r: ReceiverSet): boolean => r.slack || r.pagerduty;

/**
 * Alertmanager configuration: warnings and up to Slack, critical alerts also page through PagerDuty;
 * a receiver that is not configured is left out, and with neither every alert goes to "null".
 */
export function alertmanagerConfig(r: ReceiverSet): Record<string, unknown> {
  const receivers: Record<string, unknown>[] = [{ name: "null" }];
  if (r.slack) {
    receivers.push({
      name: "slack",
      slack_configs: [
        {
          api_url_file: `${SECRET_DIR}/${RECEIVER_FILES.slack}`,
          send_resolved: true,
          title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
          text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
        },
      ],
    });
  }
  if (r.pagerduty) {
    receivers.push({
      name: "pagerduty",
      pagerduty_configs: [{ routing_key_file: `${SECRET_DIR}/${RECEIVER_FILES.pagerduty}`, send_resolved: true }],
    });
  }
  const routes: Record<string, unknown>[] = [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }];
  if (r.pagerduty) routes.push({ receiver: "pagerduty", matchers: ['severity = "critical"'], continue: r.slack });
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: r.slack ? "slack" : "null",
      group_by: ["alertname", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes,
    },
    inhibit_rules: [{ source_matchers: ['severity = "critical"'], target_matchers: ['severity = "warning"'], equal: ["alertname", "namespace"] }],
    receivers,
  };
}

/** The plan note when a receiver is missing: alerts still fire in Prometheus but reach nobody there. */
export function alertingNote(r: ReceiverSet): string | undefined {
  const missing = (Object.keys(ALERT_RECEIVER_KEYS) as AlertReceiver[]).filter((k) => !r[k]);
  if (missing.length === 0) return undefined;
  const keys = missing.map((k) => `${NAMESPACE}:${ALERT_RECEIVER_KEYS[k]}`).join(", ");
  const outcome = anyReceiver(r) ? `alerts skip ${missing.join(" and ")}` : "Alertmanager sends every alert to the null receiver";
  return `alerting: ${keys} not set (pulumi config set --secret); ${outcome}`;
}
