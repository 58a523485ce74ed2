import { STACKS } from "./stack-config";

export interface StackArgs {
  readonly stack: string;
  readonly config: string[];
  readonly json: boolean;
  readonly flags: ReadonlySet<string>;
}

/**
 * Parses `--stack <name> [--config k=v ...] [--json] [--other-flag]` as the plan and policy
 * commands take them. `allowedFlags` are extra boolean flags a command accepts.
 */
export function parseStackArgs(argv: readonly string[], allowedFlags: readonly string[] = []): StackArgs {
  let stack: string | undefined;
  const config: string[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--stack" || arg === "-s") stack = value();
    else if (arg === "--config" || arg === "-c") config.push(value());
    else if (arg === "--json" || allowedFlags.includes(arg)) flags.add(arg);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; allowed: --stack <${STACKS.join("|")}>, --config key=value, --json${allowedFlags.map((f) => `, ${f}`).join("")}`);
  }
  if (stack === undefined && !allowedFlags.some((f) => flags.has(f))) {
    throw new Error(`--stack is required; allowed: ${STACKS.join(", ")}`);
  }
  return { stack: stack ?? "", config, json: flags.has("--json"), flags };
}

/** Keeps stdout for the one JSON document: anything the runtime logs goes to stderr while fn runs. */
export async function withStdoutToStderr<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, warn: console.warn };
  console.log = console.info = console.warn = (...args: unknown[]) => console.error(...args);
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** Runs a command's main, printing errors as one clear message and exiting non-zero. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(2);
    },
  );
}
