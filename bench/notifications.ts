// `npm run bench:notifications [-- --json]`: notifications/s through the whole pipeline (API or
// topic -> PostgreSQL due-time table -> dispatcher -> SMTP) to a local SMTP server, and the latency
// from the request to the server accepting the mail's DATA, next to nodemailer sending the same
// mail straight to the same server in the same run. Figures, not assertions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import { Pool } from "pg";
import { createApiKey } from "../apps/shared/apikeys";
import { DurableProducer } from "../apps/shared/kafka";
import { createLogger } from "../apps/shared/logger";
import { startDevIssuer } from "../local/dev-issuer";
import { adminKafka, appKafkaEnv, provisionKafka } from "../local/kafka-access";
import { freePort } from "../local/net";
import { downDataPlane, profile, upDataPlane } from "../local/platform";
import { startService } from "../local/services";
import type { ReceivedMail } from "../local/smtp-sink";
import { peakRssMb } from "./measure";

const JSON_OUT = process.argv.includes("--json");
const N = Number(process.env.BENCH_NOTIFICATIONS ?? 2000);
const CONCURRENCY = 32;
/** The open-loop latency probe: requests at this fixed rate (below the throughput), so the p99 is the pipeline's, not a backlog's. */
const PROBE_RATE = Number(process.env.BENCH_NOTIFICATIONS_RATE ?? 40);
const RUNS = 3;
const log = (l: string): void => void (JSON_OUT ? process.stderr : process.stdout).write(`[bench] ${l}\n`);

interface Phase {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** The mail sink runs in its own process (as on the local platform), so the load generator never slows it. */
interface Sink {
  port: number;
  received(to: string): Promise<ReceivedMail[]>;
}

/**
 * Sends `count` items to `${tag}@bench.test` (each subject carries its index, matched to its start
 * time): closed loop with `concurrency` in flight, or open loop at `rate` per second.
 */
async function phase(sink: Sink, tag: string, sendOne: (i: number) => Promise<void>, concurrency = CONCURRENCY, rate?: number, count = N): Promise<Phase> {
  const started = new Array<number>(count);
  const t0 = Date.now();
  let next = 0;
  if (rate !== undefined) {
    const sends: Promise<void>[] = [];
    for (let i = 0; i < count; i += 1) {
      const wait = t0 + (i * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      started[i] = Date.now();
      sends.push(sendOne(i));
    }
    await Promise.all(sends);
  } else {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < count; i = next++) {
          started[i] = Date.now();
          await sendOne(i);
        }
      }),
    );
  }
  const prefix = `${tag} #`;
  let mails: ReceivedMail[] = [];
  for (const deadline = Date.now() + 300_000; mails.length < count; await new Promise((r) => setTimeout(r, 250))) {
    if (Date.now() > deadline) throw new Error(`${tag}: ${mails.length} of ${count} mails after 300 s`);
    mails = await sink.received(`${tag}@bench.test`);
  }
  const latencies = mails.map((m) => m.acceptedAt - started[Number(m.subject?.slice(prefix.length))]);
  const last = Math.max(...mails.map((m) => m.acceptedAt));
  return { perSec: count / ((last - t0) / 1000), p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
}

const cpuSeconds = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};

const median = (ps: Phase[]): Phase & { spread: string } => {
  const by = [...ps].sort((a, b) => a.perSec - b.perSec);
  const m = by[Math.floor(by.length / 2)];
  return { ...m, spread: `${by[0].perSec.toFixed(0)}-${by[by.length - 1].perSec.toFixed(0)}/s` };
};

async function main(): Promise<void> {
  const p = profile("dev");
  const plane = await upDataPlane(p, "", log);
  const run = `bench-notify-${Date.now().toString(36)}`;
  const prefix = `${run}.`;
  // The broker speaks only SASL_SSL: the bench's own reads and writes as the super user, the service as its principal.
  const kafka = adminKafka(plane.kafka.access, "bench", createLogger("bench", "error"));
  const pool = new Pool({ connectionString: p.databaseUrl, max: 2 });
  const issuer = await startDevIssuer();
  const stops: (() => Promise<void>)[] = [];
  try {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const sinkProcess = await startService("smtp-sink", { SMTP_SINK_PORT: String(smtpPort), SMTP_SINK_HTTP_PORT: String(httpPort) }, `http://127.0.0.1:${httpPort}/healthz`, join(p.dir, "logs", `${run}-smtp-sink.log`));
    stops.push(() => sinkProcess.stop());
    const sink: Sink = {
      port: smtpPort,
      received: async (to) => (await (await fetch(`http://127.0.0.1:${httpPort}/mails?to=${encodeURIComponent(to)}`)).json()) as ReceivedMail[],
    };
    await provisionKafka(plane.kafka.access, prefix, kafka.logger);
    const game = run;
    await createApiKey(pool, game);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = await startService(
      "notifications",
      {
        DATABASE_URL: p.databaseUrl, REDIS_URL: p.redisUrl, ...appKafkaEnv(plane.kafka.access, "notifications", prefix),
        NOTIFICATIONS_PORT: String(port), AUTH_ISSUER: issuer.issuer, SMTP_HOST: "127.0.0.1", SMTP_PORT: String(sink.port), SMTP_REQUIRE_TLS: "false",
        EMAIL_FROM: "Bench <bench@bench.test>", NOTIFY_POLL_MS: "100", LOG_LEVEL: "warn",
      },
      `${url}/readyz`,
      join(p.dir, "logs", `${run}-notifications.log`),
    );
    stops.push(() => service.stop());
    const token = await issuer.mint({ roles: ["service", "admin"], games: [game] });
    const call = async (method: string, path: string, body: unknown) => {
      const r = await fetch(`${url}${path}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    };
    await call("PUT", `/v1/games/${game}/templates/bench`, {
      category: "transactional", default_locale: "en", variables: { tag: { type: "string", required: true }, i: { type: "integer", required: true } },
      locales: { en: { email: { subject: "{{tag}} #{{i}}", text: "Notification {{i}} of the bench.", html: "<p>Notification <b>{{i}}</b> of the bench.</p>" } } },
    });
    // One player per phase, so each phase's mails are told apart by their recipient.
    const player = async (tag: string) => call("PATCH", `/v1/games/${game}/players/${tag}/preferences`, { email: `${tag}@bench.test` });
    const request = (tag: string, i: number) => ({ game_id: game, idempotency_key: `${tag}-${i}`, player_id: tag, template: "bench", data: { tag, i } });

    // The same mail, straight from nodemailer to the same server, as many SMTP connections as the service pools (5).
    const raw = createTransport({ pool: true, host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true, maxConnections: 5, maxMessages: 1000 });
    const producer = new DurableProducer(kafka);
    await producer.connect();
    stops.push(() => producer.close());
    const [api, topic, baseline, probe]: Phase[][] = [[], [], [], []];
    const cpu: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      log(`run ${r + 1}/${RUNS}: raw nodemailer -> SMTP, ${N} mails...`);
      baseline.push(await phase(sink, `raw${r}`, (i) => raw.sendMail({ from: "bench@bench.test", to: `raw${r}@bench.test`, subject: `raw${r} #${i}`, text: `Notification ${i} of the bench.`, html: `<p>Notification <b>${i}</b> of the bench.</p>` }).then(() => undefined), 5));
      log(`run ${r + 1}/${RUNS}: POST /v1/notifications -> SMTP, ${N} notifications, ${CONCURRENCY} in flight...`);
      await Promise.all([player(`api${r}`), player(`topic${r}`)]);
      const c0 = cpuSeconds(service.pid);
      api.push(await phase(sink, `api${r}`, (i) => call("POST", "/v1/notifications", request(`api${r}`, i))));
      cpu.push((cpuSeconds(service.pid) - c0) / N);
      log(`run ${r + 1}/${RUNS}: the notifications topic -> SMTP, ${N} records...`);
      topic.push(await phase(sink, `topic${r}`, (i) => producer.send([{ topic: `${prefix}notifications`, key: `topic${r}`, value: JSON.stringify(request(`topic${r}`, i)) }])));
      log(`run ${r + 1}/${RUNS}: latency probe, POST at ${PROBE_RATE}/s for ${Math.round(N / 4 / PROBE_RATE)} s...`);
      await player(`probe${r}`);
      probe.push(await phase(sink, `probe${r}`, (i) => call("POST", "/v1/notifications", request(`probe${r}`, i)), CONCURRENCY, PROBE_RATE, Math.round(N / 4)));
    }
    raw.close();
    const [a, t, b, l] = [median(api), median(topic), median(baseline), median(probe)];
    const report = {
      notifications: N,
      runs: RUNS,
      api: { ...a, ratioToRaw: a.perSec / b.perSec },
      topic: { ...t, ratioToRaw: t.perSec / b.perSec },
      rawNodemailer: b,
      latencyAtFixedRate: { ratePerSec: PROBE_RATE, ...l },
      serviceCpuMsPerNotification: quantile(cpu, 0.5) * 1000,
      serviceRssPeakMb: peakRssMb(service.pid),
    };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const row = (name: string, x: Phase & { spread: string }, note: string) => process.stdout.write(`${name.padEnd(34)} ${x.perSec.toFixed(0).padStart(6)}/s  p50 ${x.p50Ms.toFixed(0).padStart(5)} ms  p99 ${x.p99Ms.toFixed(0).padStart(5)} ms  (${x.spread}) ${note}\n`);
      row("API -> SMTP DATA accepted", a, `${(report.api.ratioToRaw * 100).toFixed(0)} % of raw nodemailer`);
      row("topic -> SMTP DATA accepted", t, `${(report.topic.ratioToRaw * 100).toFixed(0)} % of raw nodemailer`);
      row("raw nodemailer -> SMTP (baseline)", b, "same server, same mail, 5 pooled connections");
      row(`latency at ${PROBE_RATE} requests/s (open loop)`, l, "request -> the server accepted the mail's DATA");
      process.stdout.write(`service CPU ${report.serviceCpuMsPerNotification.toFixed(2)} ms/notification, RSS peak ${report.serviceRssPeakMb.toFixed(0)} MB; median of ${RUNS} runs of ${N}\n`);
    }
  } finally {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await Promise.allSettled([issuer.close(), pool.end()]);
    await downDataPlane(plane, log);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
