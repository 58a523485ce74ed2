// The dev token issuer as a process of its own, so APIs started by `npm run local:up` keep verifying
// tokens after the CLI exits. Usage: tsx local/dev-issuer-serve.ts <port> <out.json> <game,...>
// Writes {issuer, token} (a 24 h token with the service and admin roles for those games) to out.json.
import { writeFileSync } from "node:fs";
import { startDevIssuer } from "./dev-issuer";

async function main(): Promise<void> {
  const [port, out, games] = process.argv.slice(2);
  const issuer = await startDevIssuer(Number(port));
  const token = await issuer.mint({ roles: ["service", "admin"], games: games.split(","), clientId: "local-dev", ttlSec: 86_400 });
  writeFileSync(out, JSON.stringify({ issuer: issuer.issuer, token }));
  const keepAlive = setInterval(() => undefined, 60_000);
  process.once("SIGTERM", () => void issuer.close().finally(() => (clearInterval(keepAlive), process.exit(0))));
}

main().catch((err: unknown) => {
  process.stderr.write(`dev issuer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
