// The notifications workload as deployed: the env names its config module reads, provider
// credentials only through its own Secret (Pulumi-generated, in Secrets Manager, synced by External
// Secrets), an SES identity and an IAM user that may only send as the sender, and egress to the
// internet on SMTP submission only (HTTPS comes from the namespace baseline).
import { loadNotificationsConfig } from "../../../apps/notifications/config";
import { NAMESPACES } from "../../../infra/contracts";
import { PLACEHOLDER_SENDER } from "../../../infra/config/sections/apps";
import { type Capture } from "../../../infra/tools/capture";
import { CATALOG, NOTIFICATIONS_SECRET } from "../../../infra/workloads/catalog";
import { senderOf, sesSendPolicy } from "../../../infra/workloads/notifications-secrets";
import { internetEgressAllows } from "../../../infra/workloads/spec";
import { cachedCapture } from "../../support/captures";
import { ofType } from "../tree";

type Obj = Record<string, any>;
let dev: Capture;
let custom: Capture;
const SENDER = "Dragon Quest <noreply@mail.dragons.example.org>";

beforeAll(async () => {
  // Nothing deploys before an image tag is set.
  const tagged = "gamemetrics:apps.imageTag=1.2.3";
  dev = await cachedCapture({ stack: "dev", config: [tagged] });
  custom = await cachedCapture({ stack: "prod", config: [tagged, `gamemetrics:apps.notificationsEmailFrom=${SENDER}`] });
}, 300_000);

const inputsOf = (c: Capture, type: string): Obj[] => ofType(c.resources, type).map((r) => r.inputs as Obj);
const envOf = (c: Capture): Obj[] => inputsOf(c, "kubernetes:apps/v1:Deployment").find((d) => d.metadata.name === "notifications")?.spec.template.spec.containers[0].env;

test("pure parts: the sender's domain, and a policy that sends raw mail as that sender only", () => {
  expect(senderOf(SENDER)).toEqual({ address: "noreply@mail.dragons.example.org", domain: "mail.dragons.example.org" });
  expect(senderOf("ops@Game.COM")).toEqual({ address: "ops@Game.COM", domain: "game.com" });
  expect(sesSendPolicy("arn:aws:ses:eu-west-1:1:identity/game.com", "a@game.com")).toEqual({
    Version: "2012-10-17",
    Statement: [{ Sid: "SendAsTheSender", Effect: "Allow", Action: ["ses:SendRawEmail"], Resource: ["arn:aws:ses:eu-west-1:1:identity/game.com"], Condition: { StringEquals: { "ses:FromAddress": "a@game.com" } } }],
  });
});

test("the catalog's env names are the ones the service's config reads", () => {
  const entry = CATALOG.notifications;
  if (entry.kind !== "service") throw new Error("notifications is a service");
  const fromSecret = Object.fromEntries((entry.secretEnv ?? []).map((s) => [s.name, `value-of-${s.key}`]));
  const config = loadNotificationsConfig({
    [entry.listener.portEnv]: String(entry.listener.port),
    [entry.listener.hostEnv]: "0.0.0.0",
    AUTH_ISSUER: "https://api.example.com/oauth",
    ...fromSecret,
    SMTP_PORT: "587",
    EMAIL_FROM: SENDER,
    INAPP_TICKET_SECRET: "x".repeat(48),
  });
  expect([config.port, config.host]).toEqual([8080, "0.0.0.0"]);
  expect(config.email.primary).toMatchObject({ host: "value-of-smtpHost", port: 587, user: "value-of-smtpUsername", password: "value-of-smtpPassword", requireTls: true });
  expect(config.inAppTicketSecret).toHaveLength(48);
  expect(Object.keys(fromSecret).sort()).toEqual(Object.keys(NOTIFICATIONS_SECRET.keys).sort());
});

test("provider credentials reach the pod only as secretKeyRefs to its own synced Secret", () => {
  const env = envOf(dev);
  for (const name of Object.keys(NOTIFICATIONS_SECRET.keys)) {
    expect(env.find((e) => e.name === name)).toEqual({ name, valueFrom: { secretKeyRef: { name: NOTIFICATIONS_SECRET.name, key: (NOTIFICATIONS_SECRET.keys as Record<string, string>)[name] } } });
  }
  const external = inputsOf(dev, "kubernetes:external-secrets.io/v1:ExternalSecret").find((r) => r.metadata.name === NOTIFICATIONS_SECRET.name);
  expect(external?.metadata.namespace).toBe(NAMESPACES.apps);
  const secret = inputsOf(dev, "aws:secretsmanager/secret:Secret").find((s) => s.name === "gamemetrics-dev/apps/notifications");
  expect(secret?.kmsKeyId).toBeDefined();
  expect(external?.spec.dataFrom).toEqual([{ extract: { key: expect.stringContaining("secret:gamemetrics-dev/apps/notifications") } }]);
  const version = inputsOf(dev, "aws:secretsmanager/secretVersion:SecretVersion").map((v) => String(v.secretString));
  expect(version.every((v) => v === "[secret]")).toBe(true);
});

test("SES: the sender's domain is the identity; the SMTP user may only send raw mail as the sender", () => {
  expect(inputsOf(dev, "aws:sesv2/emailIdentity:EmailIdentity").map((i) => i.emailIdentity)).toEqual([senderOf(PLACEHOLDER_SENDER).domain]);
  expect(inputsOf(custom, "aws:sesv2/emailIdentity:EmailIdentity").map((i) => i.emailIdentity)).toEqual(["mail.dragons.example.org"]);
  const [policy] = inputsOf(custom, "aws:iam/userPolicy:UserPolicy");
  const doc = JSON.parse(policy.policy);
  expect(doc.Statement).toEqual([expect.objectContaining({ Action: ["ses:SendRawEmail"], Condition: { StringEquals: { "ses:FromAddress": "noreply@mail.dragons.example.org" } } })]);
  expect(doc.Statement[0].Resource[0]).toMatch(/^arn:aws:ses:/);
  expect(inputsOf(custom, "aws:iam/accessKey:AccessKey")).toHaveLength(1);
});

test("egress beyond the baseline: SMTP submission (587) to anywhere, for the notifications pods only", () => {
  expect(internetEgressAllows().map((a) => [a.name, a.pods?.["app.kubernetes.io/name"], a.ports])).toEqual([["allow-notifications-internet-egress", "notifications", [{ port: 587, protocol: "TCP" }]]]);
  const np = inputsOf(dev, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.metadata.name === "allow-notifications-internet-egress");
  expect(np?.spec).toEqual({
    podSelector: { matchLabels: { "app.kubernetes.io/name": "notifications", "app.kubernetes.io/part-of": "gamemetrics" } },
    policyTypes: ["Egress"],
    egress: [{ ports: [{ port: 587, protocol: "TCP" }], to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
  });
  // Port 25 (relay) is never opened, for any app.
  const all = inputsOf(dev, "kubernetes:networking.k8s.io/v1:NetworkPolicy").flatMap((p) => (p.spec.egress ?? []).flatMap((e: Obj) => e.ports ?? []));
  expect(all.some((p: Obj) => p.port === 25)).toBe(false);
});
