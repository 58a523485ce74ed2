// The raw ceilings our figures are compared with, measured in the same run on the same machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { BrokerOptions, producerPerfTest } from "../local/kafka-broker";

export interface KafkaBaseline {
  recordsPerSec: number;
  avgLatencyMs: number;
  p99LatencyMs: number;
}

/** Kafka's own ProducerPerformance (same jars, acks=all, idempotent), parsed from its summary line. */
export function kafkaProducerBaseline(broker: BrokerOptions, topic: string, records: number, recordSize: number): KafkaBaseline {
  const out = producerPerfTest(broker, topic, records, recordSize);
  const summary = out.trim().split("\n").pop() ?? "";
  const m = /records sent, ([\d.]+) records\/sec .*?, ([\d.]+) ms avg latency.*?(\d+) ms 99th/.exec(summary);
  if (m === null) throw new Error(`unexpected ProducerPerformance output: ${summary}`);
  return { recordsPerSec: Number(m[1]), avgLatencyMs: Number(m[2]), p99LatencyMs: Number(m[3]) };
}

/** Raw COPY (psql \copy) of rows shaped like player_events into a plain table with the same primary key. */
export function pgCopyBaseline(databaseUrl: string, rows: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "gm-bench-"));
  const csv = join(dir, "events.csv");
  const t = new Date().toISOString();
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    lines.push(`${id},${t},${t.slice(0, 10)},${t},${t},bench,player-${i % 1000},,session_start,ios,1.0.0,{},0,${i}`);
  }
  writeFileSync(csv, lines.join("\n") + "\n");
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  return (async () => {
    try {
      await pool.query("DROP TABLE IF EXISTS bench_copy_baseline");
      await pool.query("CREATE TABLE bench_copy_baseline (LIKE player_events INCLUDING DEFAULTS, PRIMARY KEY (event_id, event_time))");
      const cols = "event_id, event_time, event_day, received_at, client_time, game_id, player_id, session_id, event_type, platform, app_version, payload, src_partition, src_offset";
      const start = process.hrtime.bigint();
      const r = spawnSync("psql", [databaseUrl, "-v", "ON_ERROR_STOP=1", "-c", `\\copy bench_copy_baseline (${cols}) FROM '${csv}' CSV`], { encoding: "utf8" });
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
      return rows / secs;
    } finally {
      await pool.query("DROP TABLE IF EXISTS bench_copy_baseline");
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    }
  })();
}
