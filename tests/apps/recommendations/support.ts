// A recommendations slice of the platform per test file: the real event path (ingestion, processor,
// Kafka), a dev token issuer, trained models and recommendations service processes.
import { TOPICS } from "../../../infra/kafka/topics";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createApiKey } from "../../../apps/shared/apikeys";
import { createTopics } from "../../../apps/shared/kafka";
import { loadRecommendationsConfig } from "../../../apps/recommendations/config";
import type { Touch } from "../../../apps/recommendations/interactions";
import type { PlayerTouches } from "../../../apps/recommendations/source";
import { train, type TrainReport } from "../../../apps/recommendations/train";
import { REPO_ROOT } from "../../../local/kafka-broker";
import { startDevIssuer, type DevIssuer } from "../../../local/dev-issuer";
import { freePort } from "../../../local/net";
import type { Pool } from "pg";
import { type RunningService, startService } from "../../../local/services";
import { scratchDatabase } from "../support/scratch-db";
import { createStack, eventually, post, type Stack } from "../support/stack";

/** The ingestion form of a touch: purchases own an item, booster sinks do not, levels are progression. */
export function touchEvent(player: string, t: Touch): Record<string, unknown> {
  const common = { player_id: player, event_time: new Date(t.at).toISOString(), ...(t.platform === null ? {} : { platform: t.platform }) };
  if (t.kind === "levels") return { ...common, type: "progression", status: t.completes ? "complete" : t.fails ? "fail" : "start", levels: t.item.split("/") };
  return t.owns
    ? { ...common, type: "purchase", currency: "USD", amount_minor: 99, item_type: "skin", item_id: t.item }
    : { ...common, type: "resource", flow: "sink", currency: "gems", amount: 5, item_type: "booster", item_id: t.item };
}

export interface RecsSlice {
  readonly stack: Stack;
  readonly issuer: DevIssuer;
  /** Game servers' token for the stack's game (and `otherGame`). */
  token(games?: readonly string[], roles?: readonly ("service" | "analyst")[]): Promise<string>;
  readonly otherGame: string;
  readonly otherKey: string;
  readonly serviceEnv: Record<string, string>;
  readonly generatedTopic: string;
  /** Posts events for a game through ingestion and waits until the processor stored them all. */
  send(players: readonly PlayerTouches[], apiKey?: string): Promise<void>;
  train(): Promise<TrainReport>;
  startRecommendations(extra?: Record<string, string>): Promise<{ service: RunningService; url: string }>;
  close(): Promise<void>;
}

export const SERVICE_POLICY_ENV = { RECOMMENDATIONS_REPEATABLE_ITEM_TYPES: "booster", RECOMMENDATIONS_HALF_LIFE_DAYS: "14" };

/** The service's environment on a stack: its own Kafka principal and cache prefix, tokens of `issuer`, quick polls. */
export function recommendationsEnv(stack: Stack, issuer: string): Record<string, string> {
  return {
    ...stack.envFor("recommendations"),
    ...SERVICE_POLICY_ENV,
    AUTH_ISSUER: issuer,
    RECOMMENDATIONS_CACHE_PREFIX: `t.${randomBytes(3).toString("hex")}.rec:`,
    RECOMMENDATIONS_MODEL_POLL_MS: "300",
    RECOMMENDATIONS_RULES_TTL_MS: "500",
    // Headroom on a loaded machine: a lock that expired mid-computation would let a second pod compute.
    RECOMMENDATIONS_LOCK_MS: "8000",
  };
}

/** One recommendations process on a free port; `label` names its log file. */
export async function startRecommendationsService(env: Record<string, string>, label: string): Promise<{ service: RunningService; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startService("recommendations", { ...env, RECOMMENDATIONS_PORT: String(port) }, `${url}/readyz`, join(REPO_ROOT, ".local", "test", "logs", `${label}-recommendations-${port}.log`));
  return { service, url };
}

/** A new model version over the database's stored events (every game in it), small enough for a test. */
export function trainModel(pool: Pool, env: Record<string, string>, windowDays = 30): Promise<TrainReport> {
  const config = loadRecommendationsConfig(env);
  return train(pool, { windowDays, params: { ...config.training.params, factors: 16 }, policy: config.policy });
}

/** Waits until the service serves a trained version to `token` (it polls for new versions). */
export const modelLive = (url: string, game: string, token: string): Promise<true> =>
  eventually("a live model version", async () => ((await getJson(`${url}/v1/games/${game}/players/p/recommendations`, token)).status === 200 ? true : undefined), 30_000);

/** Runs on a scratch database: a model version covers every game in the database, so the slice owns them all. */
export async function createRecsSlice(name: string): Promise<RecsSlice> {
  const db = await scratchDatabase(name.replace(/-/g, "_"));
  const stack = await createStack(name, undefined, undefined, db.url);
  const issuer = await startDevIssuer();
  const otherGame = `${stack.gameId}-b`.slice(0, 64);
  const { key: otherKey } = await createApiKey(stack.pool, otherGame, 1_000_000);
  const generatedTopic = `${stack.prefix}${TOPICS.recommendations.name}`;
  await createTopics(stack.kafka, [{ topic: generatedTopic, partitions: 1 }]);
  await stack.startProcessor();
  await stack.startIngestion();
  const run = randomBytes(3).toString("hex");
  const serviceEnv = recommendationsEnv(stack, issuer.issuer);
  const running: RunningService[] = [];
  return {
    stack,
    issuer,
    otherGame,
    otherKey,
    serviceEnv,
    generatedTopic,
    token: (games = [stack.gameId], roles = ["service"]) => issuer.mint({ roles, games, clientId: "game-server" }),
    send: async (players, apiKey = stack.apiKey) => {
      const events = players.flatMap((p) => p.touches.map((t) => touchEvent(p.player, t)));
      const ids: string[] = [];
      for (let i = 0; i < events.length; i += 1000) {
        const r = await post(`${stack.ingestionUrl}/v1/events/batch`, { events: events.slice(i, i + 1000) }, { "x-api-key": apiKey });
        if (r.status !== 202) throw new Error(`ingestion answered ${r.status}: ${JSON.stringify(r.body)}`);
        ids.push(...(r.body.event_ids as string[]));
      }
      await eventually(`${ids.length} events stored`, async () => {
        const { rows } = await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [ids]);
        return rows[0].n === ids.length ? true : undefined;
      }, 60_000);
    },
    train: () => trainModel(stack.pool, serviceEnv),
    startRecommendations: async (extra = {}) => {
      const started = await startRecommendationsService({ ...serviceEnv, ...extra }, `${stack.name}-${run}`);
      running.push(started.service);
      return started;
    },
    close: async () => {
      await Promise.all(running.map((s) => s.stop()));
      await stack.close();
      await issuer.close();
      await db.drop();
    },
  };
}

export async function getJson(url: string, token?: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const r = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
}

/** A counter's value from a Prometheus text exposition (summed over its label sets matching `labels`). */
export async function counter(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

export interface RecBody {
  model_version: string;
  cache: string;
  items: { id: string; score: number; source: string }[];
}
