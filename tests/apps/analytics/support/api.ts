// The analytics service as the tests run it: a real process on a free port, verifying tokens of a
// dev issuer running in the test process, over the stack's broker, database and Redis.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { REPO_ROOT } from "../../../../local/kafka-broker";
import { freePort } from "../../../../local/net";
import { RunningService, startService } from "../../../../local/services";
import type { DevIssuer } from "../../../../local/dev-issuer";
import type { Stack } from "../../support/stack";

export interface AnalyticsProcess {
  readonly url: string;
  readonly service: RunningService;
}

export async function startAnalytics(stack: Stack, issuer: Pick<DevIssuer, "issuer">, extra: Record<string, string> = {}): Promise<AnalyticsProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tag = randomBytes(3).toString("hex");
  const env = {
    ...stack.envFor("analytics"), // its group prefix is the one its ACL admits; HOSTNAME names the pod's group
    PORT: String(port),
    DATABASE_READ_URL: stack.databaseUrl,
    AUTH_ISSUER: issuer.issuer,
    ANALYTICS_CACHE_PREFIX: `t:${stack.name}:${tag}:`,
    ANALYTICS_LIVE_TICK_MS: "200",
    ANALYTICS_REPLICA_LAG_MS: "300",
    HOSTNAME: `pod-${tag}`,
    ...extra,
  };
  const service = await startService("analytics", env, `${url}/readyz`, join(REPO_ROOT, ".local", "test", "logs", `${stack.name}-analytics-${tag}.log`));
  return { url, service };
}

export interface GqlReply {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };
}

export async function gql(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}, extraBody: Record<string, unknown> = {}): Promise<GqlReply> {
  const r = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables, ...extraBody }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: r.status, body: (await r.json()) as GqlReply["body"] };
}

/** The value of one Prometheus sample (sum over label sets when `labels` is omitted). */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith(name) && (l[name.length] === " " || l[name.length] === "{"))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}
