// Process lifecycle shared by the long-running services: start-up failure and graceful shutdown.
import type { Logger } from "./logger";

/** Runs a service's start-up; a failure before it serves is printed to stderr and exits 1. */
export function runService(service: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${service} failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

/**
 * On the first SIGTERM/SIGINT: logs `draining`, runs `close` (the service's steps, in its order)
 * and exits 0. `close` starts synchronously, so a readiness flag it clears flips before any await.
 */
export function onShutdown(logger: Logger, service: string, draining: string, close: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, draining);
    await close();
    logger.info(`${service} stopped`);
    process.exit(0);
  };
  process.once("SIGTERM", (s) => void shutdown(s));
  process.once("SIGINT", (s) => void shutdown(s));
}
