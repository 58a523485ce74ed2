// The ingestion error ratio from the cluster's source: a real Prometheus (Debian's prometheus package,
// as .ci/run installs it for promtool) scraping a real ingestion every second, and the users service
// asking its HTTP query API (/api/v1/query) what the status shows.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oidc from "openid-client";
import { appKafkaEnv } from "../../../local/kafka-access";
import { freePort, waitFor } from "../../../local/net";
import { createStack, eventually, post, type Stack } from "../support/stack";
import { newClient, startUsers, type Users } from "./support";

const run = randomBytes(3).toString("hex");
let stack: Stack;
let users: Users;
let prometheus: ChildProcess;
let promUrl: string;
let dir: string;
let token: string;

const query = async (q: string): Promise<{ value: [number, string] }[]> => {
  const r = (await (await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: q })}`)).json()) as { data: { result: { value: [number, string] }[] } };
  return r.data.result;
};
const send = (events: object[]) => post(`${stack.ingestionUrl}/v1/events/batch`, { events }, { "x-api-key": stack.apiKey });
const valid = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "design", player_id: `p-prom-${i}`, design_id: "ui.prom" }));
const invalid = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "no_such_type", player_id: `p-prom-${i}` }));

beforeAll(async () => {
  stack = await createStack("ops-prom");
  await stack.startIngestion();
  dir = mkdtempSync(join(tmpdir(), "gm-prometheus-"));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const target = new URL(stack.ingestionUrl).host;
  writeFileSync(join(dir, "prometheus.yml"), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ingestion\n    static_configs:\n      - targets: ["${target}"]\n`);
  prometheus = spawn("prometheus", [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: "ignore" });
  let failed: string | undefined;
  prometheus.on("error", (err) => (failed = `${err.message} (apt-get install prometheus)`));
  prometheus.on("exit", (code) => (failed ??= `exit code ${code}`));
  await waitFor("prometheus", async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok === true, 30_000, () => failed);
  users = await startUsers(`ops-prom-${run}`, { env: { ...appKafkaEnv(stack.access, "users", stack.prefix), OPS_PROMETHEUS_URL: promUrl } });
  const { secret } = await newClient(stack.pool, { clientId: `ops-prom-${run}`, kind: "confidential", roles: ["admin"], games: "*" });
  const config = await oidc.discovery(new URL(users.issuer), `ops-prom-${run}`, undefined, oidc.ClientSecretBasic(secret as string), { execute: [oidc.allowInsecureRequests] });
  token = (await oidc.clientCredentialsGrant(config, { scope: "api" })).access_token;
}, 120_000);
afterAll(async () => {
  await users?.service.stop();
  prometheus?.kill("SIGTERM");
  await stack?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test("the status shows Prometheus's increase() of rejected over received events in the last 5 minutes", async () => {
  const status = async () => ((await (await fetch(`${users.url}/v1/ops/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { errorRatio: Record<string, any> }).errorRatio;
  // Scraped, but no event yet: a source with nothing to divide says so.
  await eventually("the first scrapes", async () => ((await query('up{job="ingestion"}'))[0]?.value[1] === "1" ? true : undefined));
  expect(await status()).toMatchObject({ ok: true, source: "prometheus", value: { ratio: null, received: 0 }, why: "no events received in the window" });
  // A labelled counter's series starts with its first event, which increase() cannot count: one of each
  // first, seen by Prometheus, then the batch the ratio is about (6 accepted, 2 rejected).
  expect((await send([...valid(1), ...invalid(1)])).status).toBe(202);
  await eventually("both series scraped", async () => ((await query("ingestion_events_rejected_total")).length > 0 && (await query("ingestion_events_accepted_total")).length > 0 ? true : undefined));
  await new Promise((r) => setTimeout(r, 2500));
  expect((await send([...valid(6), ...invalid(2)])).status).toBe(202);
  const shown = await eventually("the batch in Prometheus", async () => {
    const e = await status();
    return e.value?.received >= 8 && e.value?.rejected >= 2 ? e : undefined;
  }, 20_000);
  // increase() extrapolates towards the window's edges: the counts are close to 6 + 2, not exact; the ratio holds.
  expect(shown).toMatchObject({ ok: true, source: "prometheus", value: { source: "prometheus", windowSeconds: 300 } });
  expect(shown.value.ratio).toBeCloseTo(2 / 8, 1);
  expect(shown.value.received).toBeLessThan(8 * 1.5);
}, 60_000);
