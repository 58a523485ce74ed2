/** The bench result: every figure next to its raw baseline and the issue's target, as a ratio. */
type Spread = { median: number; min: number; max: number };
type Client = { produce: Spread; produceCpuUs: Spread; consume: Spread; consumeCpuUs: Spread };

export interface BenchReport {
  machine: { cores: number; loadAverage1m: number; note: string };
  baselines: { kafkaProducerPerf: Spread & { p99Ms: number; recordSize: number }; pgCopyIntoPlayerEvents: Spread; bareHttp202: Spread };
  kafkaClients: { kafkajs: Client; platformatic: Client };
  single: { reqPerSec: Spread; p99Ms: Spread; non2xx: number; cores: Record<string, number> };
  batch100: { eventsPerSec: Spread; p99Ms: Spread; non2xx: number; cores: Record<string, number> };
  sweep: { points: { rate: number; p99Ms: number; ok: number; failed: number }[]; highestRateP99Under25Ms: number };
  processor: { eventsPerSec: Spread; cores: Record<string, number> };
  endToEnd: { p50Ms: number; p99Ms: number; samples: number };
  rssMb: { ingestionPeak: number; processorPeak: number };
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const s = (x: Spread, unit = "") => `${n(x.median)}${unit} [${n(x.min)}–${n(x.max)}]`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const cores = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");

export function printReport(r: BenchReport): void {
  const b = r.baselines;
  const k = r.kafkaClients;
  const rows: [string, string, string][] = [
    ["machine", `${r.machine.cores} cores, load ${r.machine.loadAverage1m.toFixed(1)}`, r.machine.note],
    ["baseline: Kafka ProducerPerformance (warm)", `${s(b.kafkaProducerPerf)} rec/s`, `acks=all, idempotent, SASL_SSL, ${b.kafkaProducerPerf.recordSize} B, p99 ${b.kafkaProducerPerf.p99Ms} ms`],
    ["baseline: COPY into player_events", `${s(b.pgCopyIntoPlayerEvents)} rows/s`, "psql \\copy, same table, keys and partitions"],
    ["baseline: bare node:http answering 202", `${s(b.bareHttp202)} req/s`, "wrk, 50 connections"],
    ["kafkajs producer / consumer", `${s(k.kafkajs.produce)} / ${s(k.kafkajs.consume)} rec/s`, `Node CPU ${k.kafkajs.produceCpuUs.median.toFixed(1)} / ${k.kafkajs.consumeCpuUs.median.toFixed(1)} µs per record`],
    ["@platformatic/kafka producer / consumer", `${s(k.platformatic.produce)} / ${s(k.platformatic.consume)} rec/s`, `Node CPU ${k.platformatic.produceCpuUs.median.toFixed(1)} / ${k.platformatic.consumeCpuUs.median.toFixed(1)} µs per record; ${ratio(k.platformatic.produce.median, k.kafkajs.produce.median)} / ${ratio(k.platformatic.consume.median, k.kafkajs.consume.median)} kafkajs`],
    ["single events (processor paused)", `${s(r.single.reqPerSec)} req/s`, `target ≥ 20,000 and ≥ 0.38× bare http: ${ratio(r.single.reqPerSec.median, b.bareHttp202.median)}; p99 ${r.single.p99Ms.median.toFixed(1)} ms; non-2xx ${r.single.non2xx}; cores ${cores(r.single.cores)}`],
    ["batches of 100 (processor paused)", `${s(r.batch100.eventsPerSec)} events/s`, `target ≥ 1.0× ProducerPerformance: ${ratio(r.batch100.eventsPerSec.median, b.kafkaProducerPerf.median)}; p99 ${r.batch100.p99Ms.median.toFixed(1)} ms; non-2xx ${r.batch100.non2xx}; cores ${cores(r.batch100.cores)}`],
    ["open loop: highest rate with p99 < 25 ms", `${n(r.sweep.highestRateP99Under25Ms)} req/s`, r.sweep.points.map((p) => `${n(p.rate)}: p99 ${p.p99Ms.toFixed(1)} ms${p.failed > 0 ? ` (${p.failed} failed)` : ""}`).join("; ")],
    ["processor drain into PostgreSQL", `${s(r.processor.eventsPerSec)} events/s`, `target ≥ 0.3× COPY: ${ratio(r.processor.eventsPerSec.median, b.pgCopyIntoPlayerEvents.median)}; cores ${cores(r.processor.cores)}`],
    ["end to end 202 -> stored p50 / p99", `${n(r.endToEnd.p50Ms)} / ${n(r.endToEnd.p99Ms)} ms`, `target p99 < 2,000 ms (${r.endToEnd.samples} events at 200/s)`],
    ["RSS peak ingestion / processor", `${n(r.rssMb.ingestionPeak)} / ${n(r.rssMb.processorPeak)} MB`, "target < 200 MB each"],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b2, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b2.padStart(w1)}  ${c}\n`);
}
