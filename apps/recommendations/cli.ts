// `npm run recommendations -- <command>`: train (also the cluster's CronJob), evaluate, rules.
import { parseArgs } from "node:util";
import { ConfigError } from "../shared/config";
import { createLogger } from "../shared/logger";
import { createPool, type Pool } from "../shared/pg";
import { loadRecommendationsConfig, type RecommendationsConfig } from "./config";
import { evaluateSplit, evaluateStored, formatEvaluations, timeSplit } from "./evaluate";
import { KINDS, type Kind } from "./interactions";
import { LiveModel } from "./live-model";
import { createRecommendationsMetrics } from "./metrics";
import { pruneModels, readyModels } from "./model-store";
import { plantedDataset } from "./planted";
import { publish } from "./publish";
import { type Rule, readRules, setRules } from "./rules";
import { train } from "./train";
import { catchUp } from "./updater";
import { createVectorStore } from "./vector-store";
import { versionOf, LIVE_ALIAS } from "./ids";

const USAGE = `usage: npm run recommendations -- <command>
  train                                 train a model version (every game) from the stored events over the window; with
                                        RECOMMENDATIONS_VECTOR_STORE=qdrant also publish it and swap the alias
  evaluate --planted [--players N] [--items N] [--segments N] [--seed N]
  evaluate --stored [--split-days N | --split ISO-TIME] [--games g1,g2]
                                        precision@10, recall@10, coverage: model vs popularity
  rules --game G --kind items|levels (--allow|--deny|--clear) ITEM...   change the allow/deny lists (audited)
  rules --game G --kind items|levels    show them`;

const out = (line: string) => void process.stdout.write(`${line}\n`);

async function trainCommand(config: RecommendationsConfig, pool: Pool): Promise<void> {
  const logger = createLogger("recommendations-train", config.logLevel);
  const r = await train(pool, { windowDays: config.training.windowDays, params: config.training.params, policy: config.policy }, out);
  out(`trained ${r.version}: ${r.games.length} games, window ${r.windowFrom.toISOString()} .. ${r.asOf.toISOString()}, ${r.seconds.toFixed(1)} s`);
  const store = createVectorStore(config);
  if (store.kind === "embedded") {
    out(`the embedded index lives in the recommendations service: it loads ${r.version} within RECOMMENDATIONS_MODEL_POLL_MS (${config.modelPollMs} ms)`);
    const keep = (await readyModels(pool)).slice(0, 2).map((m) => m.version);
    out(`dropped old versions: ${(await pruneModels(pool, keep)).join(", ") || "none"}`);
    return;
  }
  const previous = await store.aliasTarget(LIVE_ALIAS);
  const live = new LiveModel(store, pool, logger);
  const deps = { pool, store, live, policy: config.policy, windowDays: config.training.windowDays, logger, metrics: createRecommendationsMetrics() };
  const p = await publish(store, pool, r.version, (prev) => catchUp(deps, r.version, prev));
  out(`published ${p.items} items and ${p.players} players into ${p.collection}; alias ${LIVE_ALIAS} -> ${p.collection}; ${p.caughtUp} players caught up; dropped ${p.dropped.join(", ") || "nothing"}`);
  const keep = [r.version, ...(previous === null || versionOf(previous) === null ? [] : [versionOf(previous)!])];
  out(`dropped old versions: ${(await pruneModels(pool, keep)).join(", ") || "none"}`);
}

function kindOf(v: string | undefined): Kind {
  if (v === undefined || !(KINDS as readonly string[]).includes(v)) throw new ConfigError(`--kind "${v ?? ""}" is invalid: allowed values are ${KINDS.join(", ")}`);
  return v as Kind;
}

const num = (v: string | undefined, def: number) => (v === undefined ? def : Number(v));

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      games: { type: "string" }, game: { type: "string" }, kind: { type: "string" },
      planted: { type: "boolean" }, stored: { type: "boolean" }, players: { type: "string" }, items: { type: "string" }, segments: { type: "string" }, seed: { type: "string" }, "split-days": { type: "string" }, split: { type: "string" },
      allow: { type: "boolean" }, deny: { type: "boolean" }, clear: { type: "boolean" },
    },
  });
  const [command, ...rest] = positionals;
  const config = loadRecommendationsConfig();
  const games = values.games?.split(",").filter((g) => g !== "");
  if (command === "evaluate" && values.planted === true) {
    const now = Date.now();
    const ds = plantedDataset({ game: "planted", players: num(values.players, 3000), items: num(values.items, 600), segments: num(values.segments, 12), perPlayer: 20, inGroup: 0.7, days: 30, now, seed: num(values.seed, 7) });
    const { train: tr, test } = timeSplit(ds.players, now - 6 * 86_400_000, "items");
    out(formatEvaluations("planted dataset (segments with preferred item groups; held out: the last 6 of 30 days)", [evaluateSplit("planted", "items", tr, test, now, config.policy, config.training.params)]));
    return;
  }
  const pool = createPool(config.databaseUrl, 4);
  try {
    if (command === "train") return await trainCommand(config, pool);
    if (command === "evaluate" && values.stored === true) {
      const until = new Date();
      const split = values.split !== undefined ? new Date(values.split) : new Date(until.getTime() - num(values["split-days"], 7) * 86_400_000);
      if (Number.isNaN(split.getTime())) throw new ConfigError(`--split "${values.split}" is invalid: expected an ISO 8601 time`);
      const from = new Date(until.getTime() - config.training.windowDays * 86_400_000);
      const rows = await evaluateStored(pool, { from, split, until, games, policy: config.policy, params: config.training.params });
      out(formatEvaluations(`stored events: trained on ${from.toISOString()} .. ${split.toISOString()}, held out what players first touched after`, rows));
      if (rows.length === 0) out("(no player has interactions on both sides of the split)");
      return;
    }
    if (command === "rules" && values.game !== undefined) {
      const kind = kindOf(values.kind);
      const chosen = (["allow", "deny", "clear"] as const).filter((r) => values[r] === true);
      if (chosen.length > 1) throw new ConfigError("use one of --allow, --deny, --clear");
      if (chosen.length === 1) {
        if (rest.length === 0) throw new ConfigError("name the items after the flag");
        await setRules(pool, `cli:${process.env.USER ?? "operator"}`, values.game, kind, chosen[0] === "clear" ? null : (chosen[0] as Rule), rest);
      }
      const r = await readRules(pool, values.game, kind);
      out(`game ${values.game}, ${kind}: allow [${r.allow.join(", ")}] deny [${r.deny.join(", ")}]`);
      return;
    }
    throw new ConfigError(USAGE);
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
