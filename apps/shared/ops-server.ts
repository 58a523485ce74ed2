import { createServer, Server } from "node:http";
import type { Registry } from "prom-client";

/** /healthz, /readyz and /metrics for services that have no HTTP API of their own. */
export function startOpsServer(port: number, host: string, registry: Registry, ready: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/healthz") return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    if (req.url === "/readyz") {
      const ok = ready();
      return void res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ready: ok }));
    }
    if (req.url === "/metrics") {
      return void registry.metrics().then(
        (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
