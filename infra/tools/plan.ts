// `npm run plan -- --stack <dev|staging|prod> [--config k=v ...] [--json]`:
// the offline inventory of a stack, with no cloud credentials and no Pulumi CLI.
import { capacityOf, type CapacityReport } from "../capacity/fit";
import type { PlatformConfig } from "../config";
import { imagesPushed } from "../config/sections/apps";
import { capture, type Capture } from "./capture";
import { parseStackArgs, runMain, withStdoutToStderr } from "./cli-args";
import { planNotes } from "./plan-notes";
import { usedPins } from "./pin-uses";
import { stackPlatformConfig } from "./stack-config";

export { stackPlatformConfig };

export function countByType(c: Capture): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of c.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

const gi = (mi: number) => `${(mi / 1024).toFixed(1)} GiB`;
const pct = (used: number, total: number) => `${total === 0 ? 0 : Math.round((100 * used) / total)}%`;

/** The capacity section: node allocatable, what the pods request, headroom, and any problem the policy refuses. */
export function renderCapacity(r: CapacityReport, withApps: boolean): string[] {
  const n = r.node;
  return [
    `Capacity${withApps ? "" : " (with the apps deployed, as after the second up)"}:`,
    `  nodes        ${r.group.minNodes} x ${r.group.instanceType} at the minimum, prefix delegation ${r.group.prefixDelegation ? "on" : "off"}`,
    `  per node     ${n.cpuMillis}m / ${gi(n.memoryMi)} / ${n.pods} pods allocatable (kube-reserved ${n.kubeReservedCpuMillis}m / ${n.kubeReservedMemoryMi}Mi, eviction 100Mi); DaemonSets ${r.perNodeDaemonSets.pods} pods, ${r.perNodeDaemonSets.cpuMillis}m / ${r.perNodeDaemonSets.memoryMi}Mi`,
    `  requested    ${r.pods} pods, ${r.requested.cpuMillis}m CPU (${pct(r.requested.cpuMillis, r.allocatable.cpuMillis)}), ${gi(r.requested.memoryMi)} memory (${pct(r.requested.memoryMi, r.allocatable.memoryMi)}) of ${r.allocatable.cpuMillis}m / ${gi(r.allocatable.memoryMi)}`,
    `  headroom     ${r.allocatable.cpuMillis - r.requested.cpuMillis}m CPU, ${gi(r.allocatable.memoryMi - r.requested.memoryMi)} memory; rolling update of the largest pod (${r.surge?.pod.name ?? "none"}): ${r.surge === undefined ? "n/a" : r.surge.fits ? "fits" : "NO ROOM"}`,
    ...(r.problems.length === 0 ? ["  verdict      fits (policy capacity-fits)"] : ["  verdict      DOES NOT FIT (policy capacity-fits):", ...r.problems.map((p) => `    - ${p}`)]),
  ];
}

export function renderPins(c: Capture): string[] {
  return ["Pins (infra/config/pins.ts; re-check with npm run pins:verify):", ...usedPins(c.resources).map((p) => `  ${p.kind.padEnd(9)} ${p.value}  ${p.verified === undefined ? "NOT IN THE TABLE" : `verified ${p.verified.on}: ${p.verified.source}`}`)];
}

export function renderPlan(config: PlatformConfig, c: Capture, capacity?: CapacityReport): string {
  const lines = [`stack ${config.stack} (tier ${config.tier}): ${c.resources.length} resources`, "", "Sizing:"];
  for (const [section, values] of Object.entries(config.profile)) {
    const fields = Object.entries(values as object).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") || "[]" : String(v)}`);
    lines.push(`  ${section.padEnd(14)} ${fields.join("  ")}`);
  }
  lines.push("", "Resources by type:");
  for (const [type, n] of countByType(c)) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  const report = capacity ?? capacityOf(c.resources);
  if (report !== undefined) lines.push("", ...renderCapacity(report, imagesPushed(config.profile.apps)));
  lines.push("", ...renderPins(c));
  const notes = planNotes(config);
  if (notes.length > 0) lines.push("", "Notes:", ...notes.map((n) => `  ! ${n}`));
  return lines.join("\n");
}

/** An image tag that only sizes the apps for the capacity section (nothing is deployed by a plan). */
export const CAPACITY_TAG = "gamemetrics:apps.imageTag=capacity-check";

async function main(): Promise<number> {
  const args = parseStackArgs(process.argv.slice(2));
  const config = stackPlatformConfig(args.stack, args.config);
  const result = await withStdoutToStderr(() => capture({ stack: args.stack, config: args.config }));
  // Before any image is pushed the apps are not deployed; the capacity they will need is shown anyway.
  const sized = imagesPushed(config.profile.apps) ? result : await withStdoutToStderr(() => capture({ stack: args.stack, config: [...args.config, CAPACITY_TAG] }));
  // Under Argo CD delivery the apps are the rendered manifests, not Pulumi's resources.
  const apps = config.profile.apps.delivery === "argocd" ? await withStdoutToStderr(async () => (await import("./render")).renderedPolicyResources({ stack: args.stack, config: [...args.config, CAPACITY_TAG] })) : [];
  const capacity = capacityOf([...sized.resources, ...apps]);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ stack: config.stack, tier: config.tier, resources: result.resources })}\n`);
  } else {
    process.stdout.write(`${renderPlan(config, result, capacity)}\n`);
  }
  return 0;
}

if (require.main === module) runMain(main);
