// The dev token issuer as a process of the local platform, so tokens keep verifying after
// `npm run local:up` returns: serves discovery and JWKS on DEV_ISSUER_PORT and writes one
// ready-made analyst token (all games, 12 h) to DEV_ISSUER_TOKEN_FILE.
import { writeFileSync } from "node:fs";
import { str } from "../apps/shared/config";
import { startDevIssuer } from "./dev-issuer";

async function main(): Promise<void> {
  const issuer = await startDevIssuer(Number(str(process.env, "DEV_ISSUER_PORT", "8084")));
  const token = await issuer.mint({ subject: "local-analyst", roles: ["analyst", "admin"], games: "*", ttlSec: 12 * 3600 });
  writeFileSync(str(process.env, "DEV_ISSUER_TOKEN_FILE", ".local/dev/token.json"), JSON.stringify({ issuer: issuer.issuer, token }));
  const stop = () => void issuer.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`dev issuer failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
