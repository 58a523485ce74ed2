// The dashboard's server on its own: the SPA and its client routes, the security headers, the runtime
// config, refused config, GraphQL forwarded over HTTP and WebSocket and the audit log forwarded, to an
// upstream that records what reached it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import websocket from "@fastify/websocket";
import WebSocket from "ws";
import { buildApp } from "../../../apps/dashboard/app";
import { loadDashboardConfig } from "../../../apps/dashboard/config";
import { securityHeaders } from "../../../apps/dashboard/headers";
import { createLogger } from "../../../apps/shared/logger";
import { createRegistry } from "../../../apps/shared/metrics";

const ISSUER = "http://127.0.0.1:7777/oauth";
let upstream: FastifyInstance;
let app: FastifyInstance;
let base: string;
const seen: { auth?: string; body?: unknown; protocol?: string }[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "gm-dash-static-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><script type="module" src="/dashboard/assets/app-1.js"></script>');
  writeFileSync(join(dir, "assets", "app-1.js"), "console.log(1)");
  upstream = Fastify();
  await upstream.register(websocket);
  upstream.post("/graphql", async (req) => {
    seen.push({ auth: req.headers.authorization, body: req.body });
    return { data: { ok: true } };
  });
  upstream.get("/v1/audit/verify", async (req) => {
    seen.push({ auth: req.headers.authorization, body: "verify" });
    return { ok: true };
  });
  upstream.post<{ Params: { game: string } }>("/v1/api-keys/:game", async (req) => ({ created: req.params.game }));
  upstream.post<{ Params: { g: string; p: string; kind: string } }>("/v1/players/:g/:p/:kind", async (req) => ({ forwarded: `${req.params.kind} ${req.params.g}/${req.params.p}` }));
  upstream.put("/v1/players/:g/:p/profile", async () => ({ forwarded: "profile" }));
  upstream.get<{ Params: { id: string } }>("/v1/gdpr/requests/:id", async (req) => ({ forwarded: req.params.id }));
  upstream.get("/v1/gdpr/requests/:id/document", async () => ({ forwarded: "document" }));
  upstream.get("/v1/ops/dlq", async (req) => ({ forwarded: `dlq ${req.url}` }));
  upstream.post("/v1/ops/dlq/replay", async (req) => ({ forwarded: req.body }));
  upstream.get("/v1/ops/status", async () => ({ forwarded: "status" }));
  upstream.get("/v1/ops/other", async () => ({ forwarded: "other" }));
  upstream.get("/graphql", { websocket: true }, (socket, req) => {
    seen.push({ protocol: req.headers["sec-websocket-protocol"] });
    socket.on("message", (m: Buffer) => socket.send(`echo:${m.toString()}`));
  });
  await upstream.listen({ port: 0, host: "127.0.0.1" });
  const analyticsUrl = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
  // One upstream plays both analytics and the users service.
  app = buildApp({ config: { issuer: ISSUER, clientId: "dash", analyticsUrl, usersUrl: analyticsUrl, staticDir: dir }, logger: createLogger("test", "silent"), registry: createRegistry("dashboard"), ready: () => true });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

test("serves index.html for the app's own routes, assets as immutable files, and 404s for missing files", async () => {
  for (const path of ["/dashboard", "/dashboard/", "/dashboard/retention?game=g", "/dashboard/callback?code=x&state=y"]) {
    const r = await fetch(`${base}${path}`);
    expect([path, r.status, r.headers.get("content-type")]).toEqual([path, 200, "text/html; charset=utf-8"]);
    expect(r.headers.get("cache-control")).toBe("no-cache");
    expect(await r.text()).toContain("/dashboard/assets/app-1.js");
  }
  const asset = await fetch(`${base}/dashboard/assets/app-1.js`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect((await fetch(`${base}/dashboard/assets/gone.js`)).status).toBe(404);
  expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
});

test("every page carries a CSP with no inline script and data only from itself and the issuer", async () => {
  const r = await fetch(`${base}/dashboard/`);
  const csp = r.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toContain("connect-src 'self' http://127.0.0.1:7777;");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(r.headers.get("x-content-type-options")).toBe("nosniff");
  expect(securityHeaders("https://api.example.com/oauth")["content-security-policy"]).toContain("connect-src 'self' https://api.example.com;");
});

test("serves the runtime config the app signs in with", async () => {
  const r = await fetch(`${base}/dashboard/config.json`);
  expect(await r.json()).toEqual({ issuer: ISSUER, clientId: "dash", graphqlPath: "/dashboard/graphql" });
  expect(r.headers.get("cache-control")).toBe("no-store");
});

test("forwards GraphQL to analytics with the bearer token, and the WebSocket with its subprotocol", async () => {
  const r = await fetch(`${base}/dashboard/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer t0k" }, body: JSON.stringify({ query: "{ x }" }) });
  expect(await r.json()).toEqual({ data: { ok: true } });
  expect(seen).toContainEqual({ auth: "Bearer t0k", body: { query: "{ x }" } });
  const ws = new WebSocket(`${base.replace("http", "ws")}/dashboard/graphql`, "graphql-transport-ws");
  const reply = await new Promise<string>((resolve, reject) => {
    ws.once("open", () => ws.send("hello"));
    ws.once("message", (m: Buffer) => resolve(m.toString()));
    ws.once("error", reject);
  });
  ws.close();
  expect(reply).toBe("echo:hello");
  expect(ws.protocol).toBe("graphql-transport-ws");
  expect(seen).toContainEqual({ protocol: "graphql-transport-ws" });
});

test("forwards the audit log and the API keys, and nothing else of the users service's API", async () => {
  const r = await fetch(`${base}/dashboard/audit/verify`, { headers: { authorization: "Bearer adm" } });
  expect(await r.json()).toEqual({ ok: true });
  expect(seen).toContainEqual({ auth: "Bearer adm", body: "verify" });
  expect((await fetch(`${base}/dashboard/v1/staff`, { method: "POST" })).status).toBe(404);
  const keys = await fetch(`${base}/dashboard/api-keys/g1`, { method: "POST", headers: { authorization: "Bearer adm", "content-type": "application/json" }, body: "{}" });
  expect(await keys.json()).toEqual({ created: "g1" });
});

test("forwards a player's export or erasure and its status, never the profile routes beside them", async () => {
  const id = "0b7e6f2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  const call = async (method: string, path: string) => {
    const r = await fetch(`${base}/dashboard/gdpr${path}`, { method, headers: { authorization: "Bearer adm" } });
    return [r.status, await r.json()];
  };
  expect(await call("POST", "/players/g1/p1/erase")).toEqual([200, { forwarded: "erase g1/p1" }]);
  expect(await call("POST", "/players/g1/p1/export")).toEqual([200, { forwarded: "export g1/p1" }]);
  expect(await call("GET", `/requests/${id}`)).toEqual([200, { forwarded: id }]);
  expect((await call("PUT", "/players/g1/p1/profile"))[0]).toBe(404);
  expect((await call("POST", "/players/g1/p1/profile"))[0]).toBe(404);
  expect((await call("GET", `/requests/${id}/document`))[0]).toBe(404);
});

test("forwards the DLQ, its replay and the status, nothing else under /v1/ops", async () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}/dashboard/ops${path}`, { method, headers: { authorization: "Bearer adm", ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return [r.status, await r.json(), r.headers.get("content-security-policy")];
  };
  expect(await call("GET", "/dlq?reason=unknown_game&limit=5")).toEqual([200, { forwarded: "dlq /v1/ops/dlq?reason=unknown_game&limit=5" }, null]);
  expect(await call("POST", "/dlq/replay", { offsets: ["3"] })).toEqual([200, { forwarded: { offsets: ["3"] } }, null]);
  expect(await call("GET", "/status")).toEqual([200, { forwarded: "status" }, null]);
  expect((await call("GET", "/other"))[0]).toBe(404);
  expect((await call("POST", "/dlq"))[0]).toBe(404);
});

test("config: the issuer and the upstream URLs are required and must be http(s) URLs", () => {
  const urls = { DASHBOARD_ANALYTICS_URL: "http://a:8083", DASHBOARD_USERS_URL: "http://u:8080" };
  expect(() => loadDashboardConfig(urls)).toThrow("config DASHBOARD_ISSUER is missing");
  expect(() => loadDashboardConfig({ ...urls, DASHBOARD_ISSUER: "ftp://x" })).toThrow('config DASHBOARD_ISSUER="ftp://x" is invalid');
  expect(() => loadDashboardConfig({ DASHBOARD_ISSUER: "https://i.example/oauth", DASHBOARD_ANALYTICS_URL: "http://a" })).toThrow("config DASHBOARD_USERS_URL is missing");
  const c = loadDashboardConfig({ ...urls, DASHBOARD_ISSUER: "https://i.example/oauth/" });
  expect(c).toMatchObject({ issuer: "https://i.example/oauth", analyticsUrl: "http://a:8083", usersUrl: "http://u:8080", clientId: "gamemetrics-dashboard", port: 8087 });
});

test("refuses to start without a built app", () => {
  expect(() => buildApp({ config: { issuer: ISSUER, clientId: "d", analyticsUrl: "http://a", usersUrl: "http://u", staticDir: "/nonexistent" }, logger: createLogger("test", "silent"), registry: createRegistry("d"), ready: () => true })).toThrow("no built dashboard at /nonexistent");
});
