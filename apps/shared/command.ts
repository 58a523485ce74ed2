/** Runs an operator command (npm run apikey|dlq|users|retention ...): a failure is one line on stderr, exit 1. */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
