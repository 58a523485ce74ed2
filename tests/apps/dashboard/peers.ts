// The services the dashboard's pages reach behind analytics and the users service, as the browser tests
// run them: the recommendations service (the player page's panel) and the retention job's answer to
// the archives store's GDPR hand-offs (the erasure's progress).
import { answerArchiveHandoffs } from "../../../apps/retention/gdpr";
import { ANALYTICS_CLIENT_ID } from "../../../apps/shared/auth/platform-clients";
import { serviceTokenSource } from "../../../apps/shared/auth/service-token";
import { createLogger } from "../../../apps/shared/logger";
import type { PlayerDataStore } from "../../../apps/shared/player-data";
import { archivesStore } from "../../../apps/shared/player-data/archives";
import { createS3Client } from "../../../apps/shared/s3/client";
import { LOCAL_S3_CREDENTIALS } from "../../../local/s3-peers";
import { recommendationsEnv, startRecommendationsService } from "../recommendations/support";
import { TEST_ARCHIVES_BUCKET, testEnv } from "../support/env";
import type { Stack } from "../support/stack";
import { secrets, type Users } from "../users/support";

/** A recommendations service on the stack, verifying the users service's tokens, and the env analytics calls it with (its own client, registered by the users service). */
export async function startRecommendationsFor(stack: Stack, users: Pick<Users, "issuer">, label: string) {
  const env = recommendationsEnv(stack, users.issuer);
  const { service, url } = await startRecommendationsService(env, label);
  const tokenUrl = `${users.issuer}/token`;
  const clientSecret = secrets.clientSecret(ANALYTICS_CLIENT_ID, 1);
  return {
    service,
    url,
    env,
    analyticsEnv: { RECOMMENDATIONS_URL: url, AUTH_TOKEN_URL: tokenUrl, AUTH_CLIENT_SECRET: clientSecret },
    /** Analytics' own token, to ask the service directly what the page should show. */
    token: serviceTokenSource({ tokenUrl, clientId: ANALYTICS_CLIENT_ID, clientSecret: async () => clientSecret }),
  };
}

/** What the daily retention job does first, every 300 ms: answer the archives store's hand-offs, for this stack's game only (other test files answer their own). */
export function answerHandoffs(stack: Stack): NodeJS.Timeout {
  const s3 = createS3Client({ endpoint: testEnv("s3Endpoint"), region: "us-east-1", credentials: { accessKeyId: LOCAL_S3_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_S3_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  const archives = archivesStore({ pool: stack.pool, bucket: { s3, name: TEST_ARCHIVES_BUCKET, encryption: { kind: "bucket-default" } }, versioning: "single", prefix: `t-${stack.name}`, actor: "service:retention" });
  const notMine = () => Promise.reject(new Error("another test's game"));
  const mine: PlayerDataStore = { name: archives.name, export: (p, emit) => (p.gameId === stack.gameId ? archives.export(p, emit) : notMine()), erase: (p) => (p.gameId === stack.gameId ? archives.erase(p) : notMine()) };
  const quiet = createLogger("test", "silent");
  return setInterval(() => void answerArchiveHandoffs(stack.pool, mine, quiet).catch(() => undefined), 300);
}
