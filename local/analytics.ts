// The analytics API on the local platform: the dev token issuer and the API, and the ready-made
// query that shows the demo traffic's DAU and revenue.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { str } from "../apps/shared/config";
import { startService } from "./services";

export interface LocalAnalytics {
  readonly url: string;
  readonly token: string;
  readonly pids: { analytics: number; "dev-issuer": number };
}

/** `env`: what the other services get (database, Redis, Kafka). Ports: ANALYTICS_PORT, DEV_ISSUER_PORT. */
export async function startLocalAnalytics(env: Record<string, string>, dir: string, log: (l: string) => void): Promise<LocalAnalytics> {
  const issuerPort = str(process.env, "DEV_ISSUER_PORT", "8084");
  const port = str(process.env, "ANALYTICS_PORT", "8083");
  const tokenFile = join(dir, "dev-token.json");
  rmSync(tokenFile, { force: true });
  const issuer = await startService("dev-issuer", { DEV_ISSUER_PORT: issuerPort, DEV_ISSUER_TOKEN_FILE: tokenFile }, `http://127.0.0.1:${issuerPort}/jwks`, join(dir, "logs", "dev-issuer.log"));
  if (!existsSync(tokenFile)) throw new Error(`dev issuer wrote no token to ${tokenFile}`);
  const { issuer: issuerUrl, token } = JSON.parse(readFileSync(tokenFile, "utf8")) as { issuer: string; token: string };
  const url = `http://127.0.0.1:${port}`;
  const analytics = await startService("analytics", { ...env, PORT: port, AUTH_ISSUER: issuerUrl }, `${url}/readyz`, join(dir, "logs", "analytics.log"));
  log(`analytics: GraphQL on ${url}/graphql (pid ${analytics.pid}); dev token issuer ${issuerUrl} (pid ${issuer.pid})`);
  return { url, token, pids: { analytics: analytics.pid, "dev-issuer": issuer.pid } };
}

export function analyticsHelp(url: string, token: string, gameId: string): string[] {
  const today = new Date().toISOString().slice(0, 10);
  const query = `{ game(id: \\"${gameId}\\") { activePlayers(range: {from: \\"${today}\\", to: \\"${today}\\"}) { bucket dau newPlayers } revenue(range: {from: \\"${today}\\", to: \\"${today}\\"}) { currency grossMinor payingPlayers arpdauMinor } } }`;
  return [
    "  today's DAU and revenue of the demo traffic (analytics API, dev token valid 12 h):",
    `    curl -s ${url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\`,
    `      -d '{"query":"${query}"}'`,
    `  live counters: subscribe over graphql-transport-ws at ${url.replace("http", "ws")}/graphql (connection_init payload {"authorization":"Bearer <token>"})`,
  ];
}
