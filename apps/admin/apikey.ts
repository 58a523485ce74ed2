// `npm run apikey -- create --game <id> [--rate-limit <req/s>]` | `npm run apikey -- revoke --key-id <id>`
import { parseArgs } from "node:util";
import { createApiKey, revokeApiKey } from "../shared/apikeys";
import { loadCommonConfig } from "../shared/config";
import { GAME_ID_PATTERN } from "../shared/events/catalog";
import { createPool } from "../shared/pg";
import { runCommand } from "../shared/command";

const USAGE = "usage: npm run apikey -- create --game <game-id> [--rate-limit <requests-per-second>] | revoke --key-id <key-id>";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { game: { type: "string" }, "rate-limit": { type: "string" }, "key-id": { type: "string" } },
  });
  const pool = createPool(loadCommonConfig().databaseUrl, 1);
  try {
    if (positionals[0] === "create") {
      const game = values.game;
      if (game === undefined || !new RegExp(GAME_ID_PATTERN).test(game)) {
        throw new Error(`--game "${game ?? ""}" is invalid: expected lower-case letters, digits, _ or - (${GAME_ID_PATTERN})`);
      }
      const limitArg = values["rate-limit"];
      const limit = limitArg === undefined ? undefined : Number(limitArg);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`--rate-limit "${limitArg}" is invalid: expected a positive integer`);
      const k = await createApiKey(pool, game, limit);
      process.stdout.write(`created API key ${k.keyId} for game ${game} (shown once, store it now):\n${k.key}\n`);
    } else if (positionals[0] === "revoke" && values["key-id"] !== undefined) {
      const ok = await revokeApiKey(pool, values["key-id"]);
      if (!ok) throw new Error(`no active key with id "${values["key-id"]}"`);
      process.stdout.write(`revoked ${values["key-id"]}\n`);
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await pool.end();
  }
}

runCommand("apikey", main);
