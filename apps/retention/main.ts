// The retention job (the catalog's daily CronJob) and its operator commands:
//   npm run retention [-- run]                                  archive, verify and drop expired partitions
//   npm run retention -- restore --game G --from D --to D       load archived days back
//   npm run retention -- report [--json]                        hot, archived, pending
import { parseArgs } from "node:util";
import { isDay, today } from "../shared/archive/layout";
import { GAME_ID_PATTERN } from "../shared/events/catalog";
import { createLogger } from "../shared/logger";
import { createPool } from "../shared/pg";
import { createS3Client } from "../shared/s3/client";
import { bucketVersioning, type Bucket } from "../shared/s3/objects";
import { archivesStore } from "../shared/player-data/archives";
import { loadRetentionConfig } from "./config";
import { answerArchiveHandoffs } from "./gdpr";
import { runRetention } from "./job";
import { buildReport, formatReport } from "./report";
import { restoreDays } from "./restore";
import { runCommand } from "../shared/command";

const USAGE = "usage: npm run retention -- [run] | restore --game <game-id> --from <yyyy-mm-dd> --to <yyyy-mm-dd> | report [--json]";
const ACTOR = "service:retention";

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { game: { type: "string" }, from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } },
  });
  const command = positionals[0] ?? "run";
  const config = loadRetentionConfig();
  const logger = createLogger("retention", config.logLevel);
  const pool = createPool(config.databaseUrl, 4);
  const bucket: Bucket = { s3: createS3Client(config.s3), name: config.bucket, encryption: config.encryption };
  try {
    if (command === "run") {
      const target = { bucket, versioning: await bucketVersioning(bucket), prefix: config.prefix, partRows: config.partRows };
      // GDPR first: the erasure and export jobs' asks for the archives (apps/retention/gdpr.ts).
      const gdpr = await answerArchiveHandoffs(pool, archivesStore({ pool, bucket, versioning: target.versioning, prefix: config.prefix, actor: ACTOR }), logger);
      const summary = await runRetention({ pool, target, hotDays: config.hotDays, logger, actor: ACTOR, today: today() });
      logger.info({ ...summary, gdprAnswered: gdpr.answered, gdprFailed: gdpr.failed.length }, "retention run finished");
      if (gdpr.failed.length > 0) {
        process.stderr.write(`retention: ${gdpr.failed.length} GDPR hand-off(s) failed: ${gdpr.failed.map((f) => `${f.requestId}: ${f.error}`).join("; ")}\n`);
        process.exitCode = 1;
      }
      // A partition kept for a failure fails the Job (alerts see it); it is retried on the next run.
      // Days held after a restore are kept on purpose.
      const failed = summary.pending.filter((p) => !p.held);
      if (failed.length > 0) {
        process.stderr.write(`retention: ${failed.length} expired partition(s) kept: ${failed.map((p) => `${p.partition}: ${p.reason}`).join("; ")}\n`);
        process.exitCode = 1;
      }
    } else if (command === "restore") {
      const { game, from, to } = values;
      if (game === undefined || !new RegExp(GAME_ID_PATTERN).test(game)) throw new Error(`--game "${game ?? ""}" is invalid: expected a game id (${GAME_ID_PATTERN})`);
      for (const [flag, v] of [["--from", from], ["--to", to]] as const) {
        if (v === undefined || !isDay(v)) throw new Error(`${flag} "${v ?? ""}" is invalid: expected a UTC day yyyy-mm-dd`);
      }
      if ((to as string) < (from as string)) throw new Error(`--to ${to} is before --from ${from}`);
      const days = await restoreDays({ pool, bucket, prefix: config.prefix, actor: ACTOR, holdDays: config.restoreHoldDays }, game, from as string, to as string);
      for (const d of days) {
        process.stdout.write("missing" in d ? `${d.day}: no archive for ${game}\n` : `${d.day}: ${d.inserted} of ${d.archived} archived rows loaded\n`);
      }
    } else if (command === "report") {
      const r = await buildReport(pool, today(), config.hotDays);
      process.stdout.write(values.json === true ? `${JSON.stringify(r)}\n` : formatReport(r));
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await pool.end();
  }
}

runCommand("retention", main);
