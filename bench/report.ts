/** The bench result as a table; every figure next to its goal or its raw baseline. */
export interface BenchReport {
  ingestion: {
    single: { reqPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number; targetReqPerSec: number; targetP99Ms: number };
    batch100: { eventsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; target: number };
  };
  processor: { eventsPerSec: number; target: number };
  endToEnd: { p50Ms: number; p99Ms: number; samples: number; targetP99Ms: number };
  rssMb: { ingestionPeak: number; processorPeak: number; target: number };
  baselines: { kafkaProducerPerf: { recordsPerSec: number; p99LatencyMs: number; recordSize: number }; pgCopyRowsPerSec: number };
  ratios: { singleEventsVsKafka: number; batchEventsVsKafka: number; processorVsCopy: number };
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function printTable(r: BenchReport): void {
  const rows: [string, string, string][] = [
    ["single-event requests/s", n(r.ingestion.single.reqPerSec), `goal ≥ ${n(r.ingestion.single.targetReqPerSec)}; ${pct(r.ratios.singleEventsVsKafka)} of Kafka's own producer`],
    ["single-event latency p50 / p99", `${r.ingestion.single.p50Ms} / ${r.ingestion.single.p99Ms} ms`, `goal p99 < ${r.ingestion.single.targetP99Ms} ms; non-2xx ${r.ingestion.single.non2xx}`],
    ["batched events/s (100 per request)", n(r.ingestion.batch100.eventsPerSec), `goal ≥ ${n(r.ingestion.batch100.target)}; ${pct(r.ratios.batchEventsVsKafka)} of Kafka's own producer; p99 ${r.ingestion.batch100.p99Ms} ms`],
    ["processor events/s into PostgreSQL", n(r.processor.eventsPerSec), `goal ≥ ${n(r.processor.target)}; ${pct(r.ratios.processorVsCopy)} of raw COPY`],
    ["end to end 202 -> stored p50 / p99", `${r.endToEnd.p50Ms.toFixed(0)} / ${r.endToEnd.p99Ms.toFixed(0)} ms`, `goal p99 < ${r.endToEnd.targetP99Ms} ms (${r.endToEnd.samples} events)`],
    ["RSS peak ingestion / processor", `${r.rssMb.ingestionPeak.toFixed(0)} / ${r.rssMb.processorPeak.toFixed(0)} MB`, `goal < ${r.rssMb.target} MB each`],
    ["baseline: Kafka ProducerPerformance", `${n(r.baselines.kafkaProducerPerf.recordsPerSec)} rec/s`, `acks=all, idempotent, ${r.baselines.kafkaProducerPerf.recordSize} B records, p99 ${r.baselines.kafkaProducerPerf.p99LatencyMs} ms`],
    ["baseline: raw COPY into PostgreSQL", `${n(r.baselines.pgCopyRowsPerSec)} rows/s`, "psql \\copy, same columns and primary key"],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
}
