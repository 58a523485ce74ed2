// `npm run dlq -- list [--reason <r>]` | `show <dlq offset>` | `replay (<dlq offset> | --reason <r> | --all)`
// Reads system.dlq and replays records (after the cause was fixed) into player.events.raw, as they
// were first sent. Replays are idempotent: the processor stores an event once per (game_id,
// event_id), however often it arrives, so replaying the same record twice stores it once.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KafkaSecurity, loadCommonConfig } from "../shared/config";
import { DurableProducer, InRecord, KafkaOptions, readWholeTopic, topicNames } from "../shared/kafka";
import { createLogger } from "../shared/logger";
import { runCommand } from "../shared/command";

const USAGE = "usage: npm run dlq -- list [--reason <reason>] | show <dlq-offset> | replay (<dlq-offset> | --reason <reason> | --all) [--access-file <broker access.json>]";

/** Locally (no KAFKA_BROKERS set) the dev broker's access file; otherwise the services' KAFKA_* settings. */
function kafkaOptions(accessFile: string | undefined): KafkaOptions {
  const logger = createLogger("dlq", "warn");
  const local = accessFile ?? join(__dirname, "..", "..", ".local", "dev", "kafka", "access.json");
  if (process.env.KAFKA_BROKERS === undefined && existsSync(local)) {
    const a = JSON.parse(readFileSync(local, "utf8")) as { bootstrap: string; caFile: string; admin: { username: string; password: string } };
    const security: KafkaSecurity = { protocol: "SASL_SSL", mechanism: "SCRAM-SHA-512", username: a.admin.username, password: a.admin.password, caFile: a.caFile };
    return { brokers: [a.bootstrap], clientId: "dlq", logger, security };
  }
  const c = loadCommonConfig();
  return { brokers: c.kafkaBrokers, clientId: "dlq", logger, security: c.kafkaSecurity };
}

function summary(r: InRecord): string {
  const h = r.headers;
  return `${r.offset}\t${h["dlq-time"] ?? "?"}\t${h["dlq-reason"] ?? "?"}\tfrom ${h["dlq-source-topic"] ?? "?"}[${h["dlq-source-partition"] ?? "?"}]@${h["dlq-source-offset"] ?? "?"}\t${(h["dlq-detail"] ?? "").slice(0, 120)}`;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { reason: { type: "string" }, all: { type: "boolean" }, "access-file": { type: "string" } },
  });
  const [command, offset] = positionals;
  const kafka = kafkaOptions(values["access-file"]);
  const topics = topicNames(loadCommonConfig().topicPrefix);
  const records = await readWholeTopic(kafka, topics.dlq);
  const pick = (): InRecord[] => {
    if (offset !== undefined) {
      const one = records.filter((r) => r.offset === offset);
      if (one.length === 0) throw new Error(`no record at offset ${offset} of ${topics.dlq}`);
      return one;
    }
    if (values.reason !== undefined) return records.filter((r) => r.headers["dlq-reason"] === values.reason);
    if (values.all === true || command === "list") return records;
    throw new Error(USAGE);
  };
  if (command === "list") {
    const shown = pick();
    process.stdout.write(`${shown.length} of ${records.length} records in ${topics.dlq}\n${shown.map(summary).join("\n")}\n`);
  } else if (command === "show" && offset !== undefined) {
    const [r] = pick();
    process.stdout.write(`${JSON.stringify({ offset: r.offset, key: r.key?.toString() ?? null, headers: r.headers, value: r.value?.toString() ?? null }, null, 2)}\n`);
  } else if (command === "replay") {
    const chosen = pick();
    const producer = new DurableProducer(kafka);
    await producer.connect();
    try {
      await producer.send(
        chosen.map((r) => ({
          topic: r.headers["dlq-source-topic"] ?? topics.raw,
          key: r.key?.toString() ?? null,
          value: r.value ?? Buffer.alloc(0),
          headers: { "dlq-replay-of": `${topics.dlq}@${r.offset}` },
        })),
      );
    } finally {
      await producer.close();
    }
    process.stdout.write(`replayed ${chosen.length} record(s) into their source topic\n`);
  } else {
    throw new Error(USAGE);
  }
}

runCommand("dlq", main);
