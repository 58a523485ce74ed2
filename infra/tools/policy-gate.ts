// `npm run policy -- --stack <dev|staging|prod> [--config k=v ...] [--json] [--policy-config file.json]`
// runs the stack offline through the capture and evaluates the policy pack at the tier's levels;
// exits 1 on any mandatory violation. `npm run policy -- --list [--markdown]` prints the rules table;
// `--write-pack-config` regenerates policies/free.json and prod.json from the rules' typed levels.
import * as fs from "fs";
import * as path from "path";
import { evaluate, type Finding } from "../../policies/engine/evaluate";
import { applyPackConfig, levelsFor, PACK_CONFIG_FILE, rulesTable } from "../../policies/engine/levels";
import { type Level, type PolicyResource, type Rule, type Tier, TIER_NAMES } from "../../policies/engine/types";
import { RULES } from "../../policies/rules";
import type { Capture, CapturedResource, CaptureOptions } from "./capture";
import { parseStackArgs, runMain, withStdoutToStderr } from "./cli-args";

export interface GateOptions {
  readonly stack: string;
  readonly config?: readonly string[];
  /** A policy pack config (the free.json/prod.json format) applied over the tier's levels: explicit exceptions. */
  readonly policyConfig?: unknown;
  readonly rules?: readonly Rule[];
  /** The capture to run; the real one by default (tests pass the shared on-disk cache). */
  readonly capture?: (opts: CaptureOptions) => Promise<Capture>;
}

export interface GateResult {
  readonly stack: string;
  readonly tier: Tier;
  readonly resources: number;
  readonly rules: { readonly total: number; readonly enabled: number };
  readonly levels: Readonly<Record<string, Level>>;
  readonly findings: readonly Finding[];
  readonly counts: { readonly mandatory: number; readonly advisory: number };
  readonly passed: boolean;
}

export function toPolicyResources(resources: readonly CapturedResource[]): PolicyResource[] {
  return resources.map(({ type, name, inputs, parent }) => ({ type, name, inputs, ...(parent !== undefined && { parent }) }));
}

/** The tier's levels with an optional pack config on top; a bad config fails here, before any capture. */
export function gateLevels(tier: Tier, opts: Pick<GateOptions, "policyConfig" | "rules"> = {}): Record<string, Level> {
  const base = levelsFor(opts.rules ?? RULES, tier);
  return opts.policyConfig === undefined ? base : applyPackConfig(base, opts.policyConfig);
}

/** Every rule at the given levels over a captured stack. */
export function judge(stack: string, tier: Tier, resources: readonly PolicyResource[], levels: Readonly<Record<string, Level>>, rules = RULES): GateResult {
  const findings = evaluate(resources, rules, levels);
  const count = (level: Finding["level"]) => findings.filter((f) => f.level === level).length;
  return {
    stack,
    tier,
    resources: resources.length,
    rules: { total: rules.length, enabled: Object.values(levels).filter((l) => l !== "disabled").length },
    levels,
    findings,
    counts: { mandatory: count("mandatory"), advisory: count("advisory") },
    passed: count("mandatory") === 0,
  };
}

export async function runGate(opts: GateOptions): Promise<GateResult> {
  // Loaded here, not at the top: `--list` needs no Pulumi runtime and starts in a fraction of the time.
  const { stackPlatformConfig } = await import("./plan");
  const config = stackPlatformConfig(opts.stack, opts.config ?? []);
  const levels = gateLevels(config.tier, opts);
  const capture = opts.capture ?? (await import("./capture")).capture;
  const captured = await capture({ stack: opts.stack, config: opts.config ?? [] });
  // Under Argo CD delivery the apps are not Pulumi's: the rules judge the manifests rendered for Argo CD.
  const rendered = config.profile.apps.delivery === "argocd" ? await (await import("./render")).renderedPolicyResources({ stack: opts.stack, config: opts.config ?? [] }) : [];
  return judge(opts.stack, config.tier, [...toPolicyResources(captured.resources), ...rendered], levels, opts.rules);
}

export function renderGate(result: GateResult): string {
  const lines = [
    `policy gate: stack ${result.stack} (tier ${result.tier}), ${result.resources} resources, ${result.rules.enabled} of ${result.rules.total} rules enabled`,
  ];
  for (const level of ["mandatory", "advisory"] as const) {
    const findings = result.findings.filter((f) => f.level === level);
    if (findings.length === 0) continue;
    lines.push("", `${level.toUpperCase()} (${findings.length})`);
    for (const rule of [...new Set(findings.map((f) => f.rule))]) {
      const ofRule = findings.filter((f) => f.rule === rule);
      lines.push(`  ${rule}`);
      for (const f of ofRule) lines.push(`    - ${f.resource ? `${f.resource.name} (${f.resource.type})` : "(stack)"}: ${f.message}`);
      lines.push(`    fix: ${ofRule[0].remediation}`);
    }
  }
  const verdict = result.passed ? "PASSED" : "FAILED";
  lines.push("", `result: ${verdict} (${result.counts.mandatory} mandatory, ${result.counts.advisory} advisory)`);
  return lines.join("\n");
}

/** Pulls `--policy-config <file>` out of argv (the shared parser takes only boolean extras). */
function takePolicyConfig(argv: string[]): { rest: string[]; file?: string } {
  const i = argv.indexOf("--policy-config");
  if (i < 0) return { rest: argv };
  const file = argv[i + 1];
  if (file === undefined) throw new Error("--policy-config needs a file, e.g. policies/free.json");
  return { rest: [...argv.slice(0, i), ...argv.slice(i + 2)], file };
}

export const POLICIES_DIR = path.resolve(__dirname, "..", "..", "policies");

/** free.json / prod.json as `pulumi preview --policy-pack-config` reads them, from the rules' typed levels. */
export function packConfigText(tier: Tier, rules: readonly Rule[] = RULES): string {
  return `${JSON.stringify(levelsFor(rules, tier), null, 2)}\n`;
}

async function main(): Promise<number> {
  const { rest, file } = takePolicyConfig(process.argv.slice(2));
  const args = parseStackArgs(rest, ["--list", "--markdown", "--write-pack-config"]);
  if (args.flags.has("--list")) {
    process.stdout.write(`${rulesTable(RULES, args.flags.has("--markdown"))}\n`);
    return 0;
  }
  if (args.flags.has("--write-pack-config")) {
    for (const tier of TIER_NAMES) fs.writeFileSync(path.join(POLICIES_DIR, PACK_CONFIG_FILE[tier]), packConfigText(tier));
    process.stdout.write(`wrote ${TIER_NAMES.map((t) => `policies/${PACK_CONFIG_FILE[t]}`).join(", ")}\n`);
    return 0;
  }
  const policyConfig = file === undefined ? undefined : (JSON.parse(fs.readFileSync(file, "utf8")) as unknown);
  const result = await withStdoutToStderr(() => runGate({ stack: args.stack, config: args.config, policyConfig }));
  process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${renderGate(result)}\n`);
  return result.passed ? 0 : 1;
}

if (require.main === module) runMain(main);
