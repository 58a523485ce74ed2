// `npm run dlq -- list [--reason <r>]` | `show <dlq offset>` | `replay (<dlq offset> | --reason <r> | --all)`
// Reads system.dlq and replays records (after the cause was fixed) into player.events.raw, as they
// were first sent. Replays are idempotent: the processor stores an event once per (game_id,
// event_id), however often it arrives, so replaying the same record twice stores it once.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KafkaSecurity, loadCommonConfig } from "../shared/config";
import { chooseDlqRecords, type DlqChoice, dlqItem, dlqReplay, DurableProducer, type InRecord, type KafkaOptions, type OutRecord, readWholeTopic, topicNames } from "../shared/kafka";
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

/** One line of `list`: offset, time, reason, source, the start of the detail. */
function line(r: InRecord): string {
  const i = dlqItem(r);
  const from = i.source === null ? "no source topic" : `from ${i.source.topic}[${i.source.partition}]@${i.source.offset}`;
  return `${i.offset}\t${i.time}\t${i.reason ?? "?"}\t${from}\t${(i.detail ?? "").slice(0, 120)}`;
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
  const choice = (): DlqChoice => {
    if (offset !== undefined) return { offsets: [offset] };
    if (values.reason !== undefined) return { reason: values.reason };
    if (values.all === true || command === "list") return { all: true };
    throw new Error(USAGE);
  };
  const pick = (): InRecord[] => {
    const { chosen, missing } = chooseDlqRecords(records, choice());
    if (missing.length > 0) throw new Error(`no record at offset ${missing.join(", ")} of ${topics.dlq}`);
    return chosen;
  };
  if (command === "list") {
    const shown = pick();
    process.stdout.write(`${shown.length} of ${records.length} records in ${topics.dlq}\n${shown.map(line).join("\n")}\n`);
  } else if (command === "show" && offset !== undefined) {
    const [r] = pick();
    process.stdout.write(`${JSON.stringify({ offset: r.offset, key: r.key?.toString() ?? null, headers: r.headers, value: r.value?.toString() ?? null }, null, 2)}\n`);
  } else if (command === "replay") {
    const chosen = pick();
    const replays = chosen.map((r) => dlqReplay(r, topics.dlq));
    const kept = replays.filter((r): r is OutRecord => r !== undefined);
    const producer = new DurableProducer(kafka);
    await producer.connect();
    try {
      await producer.send(kept);
    } finally {
      await producer.close();
    }
    const skipped = chosen.filter((_, i) => replays[i] === undefined).map((r) => r.offset);
    process.stdout.write(`replayed ${kept.length} record(s) into their source topic${skipped.length === 0 ? "" : `; skipped ${skipped.join(", ")}: no source topic (a notification delivery given up: the notifications service retries those)`}\n`);
  } else {
    throw new Error(USAGE);
  }
}

runCommand("dlq", main);
