// The recommendations service on the local platform: a first model trained on the demo traffic, then
// the service on its embedded vector index, verifying tokens of the local users service.
import { join } from "node:path";
import type { Pool } from "pg";
import { str } from "../apps/shared/config";
import { loadRecommendationsConfig, RECOMMENDATIONS_DEFAULTS } from "../apps/recommendations/config";
import { train } from "../apps/recommendations/train";
import { startService } from "./services";

const recommendationsPort = (): string => str(process.env, "RECOMMENDATIONS_PORT", String(RECOMMENDATIONS_DEFAULTS.port));
/** Where it listens (RECOMMENDATIONS_PORT, else the service's default): analytics is told before it starts. */
export const localRecommendationsUrl = (): string => `http://127.0.0.1:${recommendationsPort()}`;

export async function startLocalRecommendations(o: { env: Record<string, string>; issuer: string; logs: string; pool: Pool; log: (s: string) => void }): Promise<{ url: string; pid: number }> {
  // o.env carries the service's own Kafka principal; its topics were provisioned with the data plane.
  const config = loadRecommendationsConfig(o.env);
  const model = await train(o.pool, { windowDays: config.training.windowDays, params: config.training.params, policy: config.policy });
  o.log(`recommendations: trained ${model.version} on the demo traffic (${model.games.map((g) => `${g.game}: ${g.players} players, ${g.items} items`).join("; ")})`);
  const url = localRecommendationsUrl();
  const service = await startService("recommendations", { ...o.env, AUTH_ISSUER: o.issuer, RECOMMENDATIONS_PORT: recommendationsPort() }, `${url}/readyz`, join(o.logs, "recommendations.log"));
  o.log(`recommendations: listening on ${url} (pid ${service.pid}, embedded index, logs ${join(o.logs, "recommendations.log")})`);
  return { url, pid: service.pid };
}
