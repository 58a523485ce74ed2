// The analytics API on the local platform, verifying the local users service's tokens and calling the
// local recommendations service with its own client (as in the cluster), and the ready-made query that
// shows the demo traffic's DAU and revenue.
import { join } from "node:path";
import { ANALYTICS_CLIENT_ID } from "../apps/shared/auth/platform-clients";
import { str } from "../apps/shared/config";
import type { ServiceSecrets } from "../apps/users/secrets";
import { type RunningService, startService } from "./services";

export interface LocalAnalytics {
  readonly url: string;
  readonly pid: number;
}

/**
 * `env`: what the other services get (database, Redis, Kafka); `users`: the users service (its issuer,
 * and the run's secrets its analytics client's secret derives from); `recommendationsUrl`: called lazily,
 * so the service may start later. Port: ANALYTICS_PORT.
 */
export async function startLocalAnalytics(o: { env: Record<string, string>; users: { url: string; secrets: ServiceSecrets }; recommendationsUrl: string; logs: string; log: (l: string) => void }): Promise<LocalAnalytics> {
  const port = str(process.env, "ANALYTICS_PORT", "8085");
  const url = `http://127.0.0.1:${port}`;
  const client = { AUTH_TOKEN_URL: `${o.users.url}/oauth/token`, AUTH_CLIENT_SECRET: o.users.secrets.clientSecret(ANALYTICS_CLIENT_ID, 1) };
  const env = { ...o.env, PORT: port, AUTH_ISSUER: `${o.users.url}/oauth`, RECOMMENDATIONS_URL: o.recommendationsUrl, ...client };
  const analytics: RunningService = await startService("analytics", env, `${url}/readyz`, join(o.logs, "analytics.log"));
  o.log(`analytics: GraphQL on ${url}/graphql (pid ${analytics.pid}, logs ${join(o.logs, "analytics.log")})`);
  return { url, pid: analytics.pid };
}

/** Uses $TOKEN from the users service's lines (client credentials). */
export function analyticsHelp(url: string, gameId: string): string[] {
  const today = new Date().toISOString().slice(0, 10);
  const query = `{ game(id: \\"${gameId}\\") { activePlayers(range: {from: \\"${today}\\", to: \\"${today}\\"}) { bucket dau newPlayers } revenue(range: {from: \\"${today}\\", to: \\"${today}\\"}) { currency grossMinor payingPlayers arpdauMinor } } }`;
  return [
    "  today's DAU and revenue of the demo traffic (analytics API, with the $TOKEN above):",
    `    curl -s ${url}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `      -d '{"query":"${query}"}'`,
    `  live counters: subscribe over graphql-transport-ws at ${url.replace("http", "ws")}/graphql (connection_init payload {"authorization":"Bearer <token>"})`,
  ];
}
