// Dashboard entry point: serves the built single-page app and forwards its GraphQL to analytics.
import { createLogger } from "../shared/logger";
import { createRegistry } from "../shared/metrics";
import { onShutdown, runService } from "../shared/service";
import { buildApp } from "./app";
import { loadDashboardConfig } from "./config";

async function main(): Promise<void> {
  const config = loadDashboardConfig();
  const logger = createLogger("dashboard", config.logLevel);
  let running = false;
  const app = buildApp({ config, logger, registry: createRegistry("dashboard"), ready: () => running });
  await app.listen({ port: config.port, host: config.host });
  running = true;
  logger.info({ port: config.port, issuer: config.issuer, analytics: config.analyticsUrl }, "dashboard serving");
  onShutdown(logger, "dashboard", "stopping: closing connections", async () => {
    running = false;
    await app.close();
  });
}

runService("dashboard", main);
