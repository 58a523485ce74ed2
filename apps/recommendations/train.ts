// The training job: stored events over the window -> one model per game -> a new version's rows.
// Publishing the version into a vector store is publish.ts; the caller decides where (cli.ts).
// A version always covers every game with events in the window: it replaces the live one whole.
import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import { recordExclusions, type PlayerExclusion } from "./exclusions";
import { buildGameModel, type GameModel, type ModelParams } from "./game-model";
import { newVersion } from "./ids";
import type { InteractionPolicy } from "./interactions";
import { createModel, finishModel, writeGameModel } from "./model-store";
import { type PlayerTouches, scanPlayers } from "./source";

export interface TrainOptions {
  readonly windowDays: number;
  readonly params: ModelParams;
  readonly policy: InteractionPolicy;
  readonly now?: Date;
}

export interface GameReport {
  readonly game: string;
  readonly players: number;
  readonly items: number;
  readonly learnedItems: number;
  readonly interactions: number;
  readonly seconds: number;
}

export interface TrainReport {
  readonly version: string;
  readonly asOf: Date;
  readonly windowFrom: Date;
  readonly games: readonly GameReport[];
  readonly seconds: number;
}

async function saveExclusions(pool: Pool, gm: GameModel, at: Date): Promise<void> {
  const rows: PlayerExclusion[] = gm.exclusions.flatMap((p) => p.exclusions.map((e) => ({ ...e, game: gm.game, player: p.player, at })));
  for (let i = 0; i < rows.length; i += 5000) await recordExclusions(pool, rows.slice(i, i + 5000));
}

export async function train(pool: Pool, o: TrainOptions, log: (line: string) => void = () => undefined): Promise<TrainReport> {
  const t0 = Date.now();
  const asOf = o.now ?? new Date();
  const windowFrom = new Date(asOf.getTime() - o.windowDays * 86_400_000);
  const version = newVersion(asOf, randomBytes(2).toString("hex"));
  await createModel(pool, version, { ...o.params, windowDays: o.windowDays, halfLifeMs: o.policy.halfLifeMs }, windowFrom, asOf);
  const games: GameReport[] = [];
  const flush = async (game: string, players: PlayerTouches[]) => {
    const g0 = Date.now();
    const gm = buildGameModel(game, players, asOf.getTime(), o.policy, o.params);
    await writeGameModel(pool, version, gm);
    await saveExclusions(pool, gm, asOf);
    const r = { game, players: gm.players.length, items: gm.items.length, learnedItems: gm.items.filter((i) => i.vector !== null).length, interactions: gm.interactions, seconds: (Date.now() - g0) / 1000 };
    games.push(r);
    log(`game ${game}: ${r.players} players, ${r.learnedItems}/${r.items} items learned, ${r.interactions} interactions, ${r.seconds.toFixed(1)} s`);
  };
  try {
    let game: string | undefined;
    let players: PlayerTouches[] = [];
    for await (const pt of scanPlayers(pool, { from: windowFrom, until: asOf }, o.policy)) {
      if (pt.game !== game) {
        if (game !== undefined) await flush(game, players);
        game = pt.game;
        players = [];
      }
      if (pt.touches.length > 0) players.push(pt);
    }
    if (game !== undefined) await flush(game, players);
    const seconds = (Date.now() - t0) / 1000;
    await finishModel(pool, version, "ready", { games, seconds });
    return { version, asOf, windowFrom, games, seconds };
  } catch (err) {
    await finishModel(pool, version, "failed", { error: (err as Error).message }).catch(() => undefined);
    throw err;
  }
}
