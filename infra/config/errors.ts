/** Every problem found in stack config, reported together so one run shows them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
