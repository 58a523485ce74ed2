// The raw ceilings our figures are compared with, measured in the same run on the same machine.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { BrokerOptions, producerPerfTest } from "../local/kafka-broker";
import { waitFor, isPortOpen } from "../local/net";

export interface KafkaBaseline {
  recordsPerSec: number;
  avgLatencyMs: number;
  p99LatencyMs: number;
}

/** Kafka's own ProducerPerformance (same jars, acks=all, idempotent, SASL_SSL), parsed from its summary line. */
export function kafkaProducerBaseline(broker: BrokerOptions, topic: string, records: number, recordSize: number): KafkaBaseline {
  const out = producerPerfTest(broker, topic, records, recordSize);
  const summary = out.trim().split("\n").pop() ?? "";
  const m = /records sent, ([\d.]+) records\/sec .*?, ([\d.]+) ms avg latency.*?(\d+) ms 99th/.exec(summary);
  if (m === null) throw new Error(`unexpected ProducerPerformance output: ${summary}`);
  return { recordsPerSec: Number(m[1]), avgLatencyMs: Number(m[2]), p99LatencyMs: Number(m[3]) };
}

const COLUMNS = "event_id, event_time, event_day, received_at, client_time, game_id, player_id, session_id, event_type, platform, app_version, payload, src_partition, src_offset";

/** psql \copy of rows shaped like the processor's into player_events itself (same table, keys, partitions); rows/s. */
export async function pgCopyBaseline(databaseUrl: string, rows: number, gameId: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "gm-bench-"));
  const csv = join(dir, "events.csv");
  const t = new Date().toISOString();
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    lines.push(`${id},${t},${t.slice(0, 10)},${t},${t},${gameId},player-${i % 5000},,progression,android,1.4.2,"{""status"":""complete"",""levels"":[""world1"",""level3""],""score"":1200}",0,${i}`);
  }
  writeFileSync(csv, lines.join("\n") + "\n");
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await pool.query("SELECT gm_ensure_event_partition($1::date)", [t.slice(0, 10)]);
    const start = process.hrtime.bigint();
    const r = spawnSync("psql", [databaseUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy player_events (${COLUMNS}) FROM '${csv}' CSV`], { encoding: "utf8" });
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
    return rows / secs;
  } finally {
    await pool.query("DELETE FROM player_events WHERE game_id = $1", [gameId]);
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare node:http server answering 202 to everything, in its own process: the HTTP ceiling of this box. */
export async function bareHttpServer(port: number): Promise<{ pid: number; stop(): void }> {
  const code = `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => { s.writeHead(202, { "content-type": "application/json" }); s.end('{"accepted":1}'); }); }).listen(${port}, "127.0.0.1")`;
  const child = spawn(process.execPath, ["-e", code], { stdio: "ignore" });
  await waitFor("bare http server", () => isPortOpen(port), 10_000);
  return { pid: child.pid as number, stop: () => void child.kill("SIGKILL") };
}
