// Named points between the steps of archiving, dropping and rewriting where the crash tests stop the
// process: with ARCHIVE_PAUSE_AT=<point> the process prints "paused at <point>" to stderr and waits
// there until it is killed (the tests send SIGKILL). Unset in every deployment.
export type FaultPoint = "after-parts" | "after-manifest" | "before-drop" | "after-rewrite-object" | "after-rewrite-manifest";

export async function faultPoint(point: FaultPoint): Promise<void> {
  if (process.env.ARCHIVE_PAUSE_AT !== point) return;
  process.stderr.write(`paused at ${point}\n`);
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}
