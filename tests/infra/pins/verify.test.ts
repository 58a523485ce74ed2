// pins:verify against a real HTTP server on loopback standing in for the upstreams: a chart index, an
// OCI registry with its Bearer token challenge, Maven Central, the EKS docs; and a port nothing listens on.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { exitCode, type Fetch, parseChallenge, type PinCheck, renderResults, tablePinChecks, verifyPins } from "../../../infra/tools/pins-verify";

const verified = { on: "2026-12-01", source: "test" };
let server: http.Server;
let port: number;
let closedPort: number;
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    seen.push(`${req.method} ${url.pathname}`);
    const [, host, ...rest] = url.pathname.split("/");
    const path = `/${rest.join("/")}`;
    if (host === "charts.example" && path === "/index.yaml") {
      res.writeHead(200, { "content-type": "application/x-yaml" }).end("apiVersion: v1\nentries:\n  app:\n  - version: 1.1.0\n  - version: 1.0.0\n");
    } else if (host === "registry.example" && path.startsWith("/v2/team/app/manifests/")) {
      if (req.headers.authorization !== "Bearer granted") {
        res.writeHead(401, { "www-authenticate": 'Bearer realm="https://auth.example/token",service="registry.example"' }).end();
      } else res.writeHead(path.endsWith("/1.0") ? 200 : 404).end();
    } else if (host === "auth.example" && path === "/token") {
      const ok = url.searchParams.get("service") === "registry.example" && url.searchParams.get("scope") === "repository:team/app:pull";
      res.writeHead(ok ? 200 : 400, { "content-type": "application/json" }).end(JSON.stringify({ token: "granted" }));
    } else if (host === "repo1.maven.org") {
      res.writeHead(path.includes("/1.0/") ? 200 : 404).end();
    } else if (host === "docs.aws.amazon.com") {
      res.writeHead(200).end("<h2>Kubernetes 1.36</h2><p>Kubernetes 1.36 is now available</p><h2>Kubernetes 1.35</h2>");
    } else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  // A port that was free a moment ago: nothing listens there.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends https://<host>/<path> to the loopback server as /<host>/<path>; one host goes to the closed port. */
const toLoopback: Fetch = (url, init) => {
  const u = new URL(url);
  const target = u.host === "down.example" ? `http://127.0.0.1:${closedPort}${u.pathname}` : `http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}`;
  return fetch(target, init);
};

const chart = (version: string, repo = "https://charts.example"): PinCheck => ({ kind: "chart", chart: "app", version, repo, verified });
const image = (tag: string): PinCheck => ({ kind: "image", registry: "registry.example", repository: "team/app", tag, verified });
const maven = (version: string): PinCheck => ({ kind: "maven", url: `https://repo1.maven.org/maven2/io/x/app/${version}/app-${version}.jar`, verified });
const eks = (version: string, standardSupportEnds = "2027-08-02"): PinCheck => ({ kind: "eks", version, standardSupportEnds, verified });

describe("pins:verify", () => {
  it("finds published pins: chart in the index, image manifest after the token dance, Maven artifact, EKS version listed", async () => {
    const results = await verifyPins([chart("1.0.0"), image("1.0"), maven("1.0"), eks("1.36")], toLoopback, "2026-12-01");
    expect(results.map((r) => [r.pin, r.status])).toEqual([
      ["chart app@1.0.0", "ok"],
      ["image registry.example/team/app:1.0", "ok"],
      ["maven io/x/app/1.0/app-1.0.jar", "ok"],
      ["eks 1.36", "ok"],
    ]);
    expect(exitCode(results)).toBe(0);
    expect(seen).toContain("GET /auth.example/token");
  });

  it("fails on a pin that was never published, saying what the upstream has", async () => {
    const results = await verifyPins([chart("1.2.0"), image("9.9"), maven("2.0"), eks("1.34"), eks("1.35", "2026-11-30")], toLoopback, "2026-12-01");
    expect(results.map((r) => r.status)).toEqual(["missing", "missing", "missing", "missing", "missing"]);
    expect(results[0].detail).toBe("not in index; newest 1.1.0");
    expect(results[4].detail).toBe("standard support ended 2026-11-30");
    expect(exitCode(results)).toBe(1);
    expect(renderResults(results)).toMatch(/FAILED: a pin is missing upstream$/);
  });

  it("says UNREACHABLE, and never passes, when a source cannot be reached", async () => {
    const results = await verifyPins([chart("1.0.0"), chart("1.0.0", "https://down.example")], toLoopback, "2026-12-01");
    expect(results[1].status).toBe("unreachable");
    expect(results[1].detail).toMatch(/^https:\/\/down\.example\/index\.yaml: /);
    expect(exitCode(results)).toBe(3);
    expect(renderResults(results)).toMatch(/1 ok, 0 missing, 1 unreachable: NOT VERIFIED: a source could not be reached$/);
  });

  it("checks every entry of the table, each with its verification date", () => {
    const checks = tablePinChecks();
    expect(checks.filter((c) => c.kind === "chart").length).toBeGreaterThanOrEqual(18);
    expect(checks.map((c) => c.kind)).toEqual(expect.arrayContaining(["chart", "image", "maven", "eks"]));
    for (const c of checks) expect(c.verified.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("reads the registry's Bearer challenge", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')).toEqual({
      realm: "https://auth.docker.io/token",
      params: { service: "registry.docker.io" },
    });
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
  });
});
