// The recommendations service on the local platform: a dev token issuer of its own process, a first
// model trained on the demo traffic, and the service on its embedded vector index.
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Pool } from "pg";
import { str } from "../apps/shared/config";
import { createTopics } from "../apps/shared/kafka";
import { createLogger } from "../apps/shared/logger";
import { loadRecommendationsConfig } from "../apps/recommendations/config";
import { train } from "../apps/recommendations/train";
import { REPO_ROOT } from "./kafka-broker";
import { freePort, waitFor } from "./net";
import { startService } from "./services";

export interface LocalRecommendations {
  readonly url: string;
  readonly token: string;
  readonly pids: { readonly devIssuer: number; readonly recommendations: number };
}

export async function startLocalRecommendations(o: { env: Record<string, string>; dir: string; logs: string; game: string; pool: Pool; log: (s: string) => void }): Promise<LocalRecommendations> {
  const config = loadRecommendationsConfig(o.env);
  await createTopics({ brokers: config.kafkaBrokers, clientId: "local", logger: createLogger("local", "error") }, [{ topic: config.generatedTopic, partitions: 1 }]);
  const out = join(o.dir, "dev-issuer.json");
  rmSync(out, { force: true });
  const issuerPort = await freePort();
  const issuer = spawn(join(REPO_ROOT, "node_modules", ".bin", "tsx"), [join(REPO_ROOT, "local", "dev-issuer-serve.ts"), String(issuerPort), out, o.game], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", openSync(join(o.logs, "dev-issuer.log"), "a"), openSync(join(o.logs, "dev-issuer.log"), "a")],
  });
  issuer.unref();
  await waitFor("dev issuer", async () => existsSync(out), 30_000);
  const { issuer: issuerUrl, token } = JSON.parse(readFileSync(out, "utf8")) as { issuer: string; token: string };
  o.log(`dev issuer: ${issuerUrl} (pid ${issuer.pid})`);
  const model = await train(o.pool, { windowDays: config.training.windowDays, params: config.training.params, policy: config.policy });
  o.log(`recommendations: trained ${model.version} on the demo traffic (${model.games.map((g) => `${g.game}: ${g.players} players, ${g.items} items`).join("; ")})`);
  const port = Number(str(process.env, "RECOMMENDATIONS_PORT", String(config.port)));
  const url = `http://127.0.0.1:${port}`;
  const service = await startService("recommendations", { ...o.env, AUTH_ISSUER: issuerUrl, RECOMMENDATIONS_PORT: String(port) }, `${url}/readyz`, join(o.logs, "recommendations.log"));
  o.log(`recommendations: listening on ${url} (pid ${service.pid}, embedded index, logs ${join(o.logs, "recommendations.log")})`);
  return { url, token, pids: { devIssuer: issuer.pid as number, recommendations: service.pid } };
}
