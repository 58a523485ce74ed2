// `npm run rollups -- rebuild --game <id> --from YYYY-MM-DD --to YYYY-MM-DD`: recomputes the game's
// rollups for those UTC days from player_events (after a bug fix, a restore, or to check the live
// rollups). Runs in one transaction under the game's rollup lock, audited.
import { parseArgs } from "node:util";
import { appendAudit } from "../shared/audit";
import { loadCommonConfig } from "../shared/config";
import { GAME_ID_PATTERN } from "../shared/events/catalog";
import { createPool, inTransaction } from "../shared/pg";
import { dayRange, rebuildDays } from "../shared/rollups/rebuild";
import { runCommand } from "../shared/command";

const USAGE = "usage: npm run rollups -- rebuild --game <game-id> --from YYYY-MM-DD --to YYYY-MM-DD";
const MAX_DAYS = 400;

function day(flag: string, v: string | undefined): string {
  if (v === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    throw new Error(`--${flag} "${v ?? ""}" is invalid: expected a UTC day YYYY-MM-DD\n${USAGE}`);
  }
  return v;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { game: { type: "string" }, from: { type: "string" }, to: { type: "string" } } });
  if (positionals[0] !== "rebuild") throw new Error(USAGE);
  const game = values.game;
  if (game === undefined || !new RegExp(GAME_ID_PATTERN).test(game)) throw new Error(`--game "${game ?? ""}" is invalid: expected ${GAME_ID_PATTERN}\n${USAGE}`);
  const [from, to] = [day("from", values.from), day("to", values.to)];
  const days = dayRange(from, to);
  if (days.length === 0) throw new Error(`--from ${from} is after --to ${to}`);
  if (days.length > MAX_DAYS) throw new Error(`--from ${from} --to ${to} spans ${days.length} days; at most ${MAX_DAYS} per run (run it in parts)`);
  const pool = createPool(loadCommonConfig().databaseUrl, 1);
  try {
    const t0 = Date.now();
    const r = await inTransaction(pool, async (c) => {
      const result = await rebuildDays(c, game, days);
      await appendAudit(c, { actor: `operator:${process.env.USER ?? "unknown"}`, action: "rollups.rebuild", target: `game:${game}`, details: { from, to, ...result } });
      return result;
    });
    process.stdout.write(`rebuilt ${game} ${from}..${to}: ${r.days} days, ${r.playerDays} player-days, ${r.players} players in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    await pool.end();
  }
}

runCommand("rollups", main);
