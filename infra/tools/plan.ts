// `npm run plan -- --stack <dev|staging|prod> [--config k=v ...] [--json]`:
// the offline inventory of a stack, with no cloud credentials and no Pulumi CLI.
import { rawFromConfigMap, resolveConfig, type PlatformConfig } from "../config";
import { capture, type Capture } from "./capture";
import { parseStackArgs, runMain, withStdoutToStderr } from "./cli-args";
import { planNotes } from "./plan-notes";
import { readStackConfig } from "./stack-config";

/** The resolved config for a stack, exactly as the program will see it (validated). */
export function stackPlatformConfig(stack: string, overrides: readonly string[]): PlatformConfig {
  return resolveConfig(stack, rawFromConfigMap(readStackConfig(stack, overrides).values));
}

export function countByType(c: Capture): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of c.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

export function renderPlan(config: PlatformConfig, c: Capture): string {
  const lines = [`stack ${config.stack} (tier ${config.tier}): ${c.resources.length} resources`, "", "Sizing:"];
  for (const [section, values] of Object.entries(config.profile)) {
    const fields = Object.entries(values as object).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") || "[]" : String(v)}`);
    lines.push(`  ${section.padEnd(14)} ${fields.join("  ")}`);
  }
  lines.push("", "Resources by type:");
  for (const [type, n] of countByType(c)) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  const notes = planNotes(config);
  if (notes.length > 0) lines.push("", "Notes:", ...notes.map((n) => `  ! ${n}`));
  return lines.join("\n");
}

async function main(): Promise<number> {
  const args = parseStackArgs(process.argv.slice(2));
  const config = stackPlatformConfig(args.stack, args.config);
  const result = await withStdoutToStderr(() => capture({ stack: args.stack, config: args.config }));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ stack: config.stack, tier: config.tier, resources: result.resources })}\n`);
  } else {
    process.stdout.write(`${renderPlan(config, result)}\n`);
  }
  return 0;
}

if (require.main === module) runMain(main);
