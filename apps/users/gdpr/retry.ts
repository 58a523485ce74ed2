/** Pure: the wait before attempt `attempts + 1` of a failed step, doubling from `baseMs`, capped. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}

/** Pure: whether a step may run, given which of its request's stores are done. */
export function dependenciesDone(after: readonly string[], done: ReadonlySet<string>): boolean {
  return after.every((s) => done.has(s));
}
