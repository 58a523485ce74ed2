// One isolated notifications platform per test file: the shared test broker and database (own topic
// prefix, consumer group and game), a dev token issuer, a real SMTP server as the peer, and the
// notifications service as a real process (started, stopped, killed with SIGKILL by the tests).
import { appKafkaEnv } from "../../../../local/kafka-access";
import { join } from "node:path";
import { createTopics, readTopic, type InRecord } from "../../../../apps/shared/kafka";
import type { Role } from "../../../../apps/shared/auth";
import { startDevIssuer, type DevIssuer } from "../../../../local/dev-issuer";
import { REPO_ROOT } from "../../../../local/kafka-broker";
import { freePort } from "../../../../local/net";
import { startService, type RunningService } from "../../../../local/services";
import { SmtpSink } from "../../../../local/smtp-sink";
import { createStack, eventually, type Stack } from "../../support/stack";

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export interface Harness {
  stack: Stack;
  issuer: DevIssuer;
  smtp: SmtpSink;
  topics: { intake: string; processed: string; dlq: string };
  /** The env every instance gets (extra env per start on top). */
  env: Record<string, string>;
  url: string;
  token(roles?: Role[], games?: string[] | "*"): Promise<string>;
  start(extra?: Record<string, string>, port?: number): Promise<RunningService & { url: string }>;
  api(method: string, path: string, body?: unknown, token?: string): Promise<Reply>;
  delivery(id: string): Promise<Delivery[]>;
  dlq(until: (seen: InRecord[]) => boolean, timeoutMs?: number): Promise<InRecord[]>;
  close(): Promise<void>;
}

export interface Delivery {
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
  due_at: string;
  history: { attempt: number; outcome: string | null; reason: string | null; response: string | null; started_at: string; finished_at: string | null; provider: string }[];
}

export const FROM = "Test Game <noreply@game.test>";

/** The environment that makes a notifications instance talk to this harness's peers. */
/** A broker that has just started may not know a topic it just created yet ("does not host this topic-partition"). */
async function retrying<T>(what: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await what();
    } catch (err) {
      if (attempt >= 5 || !/does not host this topic-partition|not the leader/i.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

export async function createHarness(name: string, extraEnv: Record<string, string> = {}): Promise<Harness> {
  const stack = await retrying(() => createStack(name));
  const prefix = stack.prefix;
  const topics = { intake: `${prefix}notifications`, processed: stack.topics.processed, dlq: stack.topics.dlq };
  await retrying(() => createTopics(stack.kafka, [{ topic: topics.intake, partitions: 1 }]));
  const issuer = await startDevIssuer();
  const smtp = await SmtpSink.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.serviceEnv.REDIS_URL,
    ...appKafkaEnv(stack.access, "notifications", prefix),
    NOTIFICATIONS_SESSION_TIMEOUT_MS: "6000",
    AUTH_ISSUER: issuer.issuer,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    SMTP_REQUIRE_TLS: "false",
    EMAIL_FROM: FROM,
    NOTIFY_POLL_MS: "100",
    NOTIFY_CACHE_TTL_MS: "0",
    NOTIFY_RETRY_BASE_MS: "500",
    LOG_LEVEL: "info",
    ...extraEnv,
  };
  const logs = join(REPO_ROOT, ".local", "test", "logs");
  const running = new Set<RunningService>();
  let n = 0;
  const h: Harness = {
    stack,
    issuer,
    smtp,
    topics,
    env,
    url,
    token: (roles = ["service"], games = [stack.gameId]) => issuer.mint({ roles, games, clientId: "game-server" }),
    start: async (extra = {}, atPort = port) => {
      n += 1;
      const base = `http://127.0.0.1:${atPort}`;
      const s = await startService("notifications", { ...env, NOTIFICATIONS_PORT: String(atPort), ...extra }, `${base}/readyz`, join(logs, `${name}-${prefix}notifications-${n}.log`));
      running.add(s);
      s.child.once("exit", () => running.delete(s));
      return Object.assign(s, { url: base });
    },
    api: async (method, path, body, token) => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), authorization: `Bearer ${token ?? (await h.token(["service", "admin"]))}` },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await r.text();
      return { status: r.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    delivery: async (id) => {
      const r = await h.api("GET", `/v1/notifications/${id}`);
      if (r.status !== 200) throw new Error(`GET /v1/notifications/${id} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body.deliveries as Delivery[];
    },
    dlq: (until, timeoutMs = 20_000) => readTopic(stack.kafka, topics.dlq, until, timeoutMs),
    close: async () => {
      await Promise.all([...running].map((s) => s.stop()));
      await Promise.allSettled([issuer.close(), smtp.close()]);
      await stack.close();
    },
  };
  return h;
}

/** Waits until the notification's deliveries satisfy `check`. */
export function waitDeliveries(h: Harness, id: string, what: string, check: (d: Delivery[]) => boolean, timeoutMs = 30_000): Promise<Delivery[]> {
  return eventually(what, async () => {
    const d = await h.delivery(id);
    return check(d) ? d : undefined;
  }, timeoutMs);
}

/** A template with the variables most tests use: name (required), code. */
export const welcomeTemplate = (overrides: Record<string, unknown> = {}) => ({
  category: "transactional",
  default_locale: "en",
  variables: { name: { type: "string", required: true }, code: { type: "string" } },
  locales: {
    en: {
      email: { subject: "Welcome {{name}}", text: "Hi {{name}}, your code is {{code}}.", html: "<p>Hi <b>{{name}}</b>, your code is {{code}}.</p>" },
      in_app: { subject: "Welcome", text: "Hi {{name}}" },
    },
    fr: { email: { subject: "Bienvenue {{name}}", text: "Salut {{name}}, ton code est {{code}}." } },
  },
  ...overrides,
});

/** Sets up a template (admin token) and a player with an address; returns the request body to send. */
export async function setUp(h: Harness, template: string, player: string, def: Record<string, unknown> = welcomeTemplate(), prefs: Record<string, unknown> = {}) {
  const t = await h.api("PUT", `/v1/games/${h.stack.gameId}/templates/${template}`, def);
  if (t.status !== 201 && t.status !== 200) throw new Error(`template ${template}: ${t.status} ${JSON.stringify(t.body)}`);
  const p = await h.api("PATCH", `/v1/games/${h.stack.gameId}/players/${player}/preferences`, { email: `${player}@players.test`, ...prefs });
  if (p.status !== 200) throw new Error(`preferences ${player}: ${p.status} ${JSON.stringify(p.body)}`);
}
