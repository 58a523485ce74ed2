import { downDataPlane } from "../../../local/platform";
import { stopS3Peer } from "../../../local/s3-peers";

/** Stops only what global-setup started (the test broker, throwaway servers). */
export default async function globalTeardown(): Promise<void> {
  if (globalThis.__gmS3Proxy !== undefined) await stopS3Peer(globalThis.__gmS3Proxy, true);
  const plane = globalThis.__gmDataPlane;
  if (plane !== undefined) await downDataPlane(plane, (line) => void process.stderr.write(`[apps tests] ${line}\n`));
}
