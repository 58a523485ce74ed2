import { downDataPlane } from "../../../local/platform";

/** Stops only what global-setup started (the test broker, throwaway servers). */
export default async function globalTeardown(): Promise<void> {
  const plane = globalThis.__gmDataPlane;
  if (plane !== undefined) await downDataPlane(plane, (line) => void process.stderr.write(`[apps tests] ${line}\n`));
}
