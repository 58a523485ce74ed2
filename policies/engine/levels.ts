import { type Level, LEVELS, type Rule, type Tier, TIER_NAMES } from "./types";
import type { Levels } from "./evaluate";

/** The tier's enforcement level for every rule: the typed source of truth behind free.json and prod.json. */
export function levelsFor(rules: readonly Rule[], tier: Tier): Record<string, Level> {
  return Object.fromEntries(rules.map((r) => [r.name, r.levels[tier]]));
}

/** Policy pack config files are named after the tier: free.json, prod.json. */
export const PACK_CONFIG_FILE: Readonly<Record<Tier, string>> = { free: "free.json", production: "prod.json" };

/**
 * Reads a policy pack config (the `--policy-pack-config` format: `{"rule": "level"}` or
 * `{"rule": {"enforcementLevel": "level"}}`, `"all"` for every rule) over base levels.
 * Unknown rules or levels fail with the key, the value and what is allowed.
 */
export function applyPackConfig(base: Levels, config: unknown): Record<string, Level> {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`policy config is ${JSON.stringify(config)}; allowed: an object of rule name -> level`);
  }
  const out: Record<string, Level> = { ...base };
  const problems: string[] = [];
  const unknown = Object.keys(config).filter((name) => name !== "all" && !(name in base));
  if (unknown.length > 0) {
    problems.push(`policy config keys that name no rule: ${unknown.map((n) => JSON.stringify(n)).join(", ")}; allowed: all, ${Object.keys(base).join(", ")}`);
  }
  // `all` first, so a rule named explicitly wins whatever the key order (as in Pulumi's policy config).
  const entries = Object.entries(config).sort(([a], [b]) => Number(b === "all") - Number(a === "all"));
  for (const [name, value] of entries) {
    const level = typeof value === "object" && value !== null ? (value as { enforcementLevel?: unknown }).enforcementLevel : value;
    if (unknown.includes(name)) continue;
    if (!LEVELS.includes(level as Level)) {
      problems.push(`policy config ${name} is ${JSON.stringify(level)}; allowed: ${LEVELS.join(", ")}`);
    } else if (name === "all") {
      for (const key of Object.keys(out)) out[key] = level as Level;
    } else {
      out[name] = level as Level;
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** Every rule with its level per tier, as plain text or a markdown table. */
export function rulesTable(rules: readonly Rule[], markdown: boolean): string {
  if (markdown) {
    const header = ["| Rule | Free | Production | Scope | Requires | Remediation |", "|---|---|---|---|---|---|"];
    const rows = rules.map(
      (r) => `| \`${r.name}\` | ${TIER_NAMES.map((t) => r.levels[t]).join(" | ")} | ${r.kind} | ${cell(r.description)} | ${cell(r.remediation)} |`,
    );
    return [...header, ...rows].join("\n");
  }
  const width = Math.max(...rules.map((r) => r.name.length));
  const lines = rules.map((r) => `${r.name.padEnd(width)}  free=${r.levels.free.padEnd(9)}  production=${r.levels.production.padEnd(9)}  ${r.description}`);
  return [`${rules.length} rules`, ...lines].join("\n");
}
