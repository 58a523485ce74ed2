// The workload layer was renamed (infra/apps, gamemetrics:apps:* -> infra/workloads,
// gamemetrics:workloads:*). A stack deployed before the rename must keep its resources: every URN it
// had (fixtures/, captured from the program just before the rename) must be the URN of a resource now,
// or one the engine derives from the aliases (each ancestor's old type, inherited by its children).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Capture, CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";

const STACKS = ["dev", "prod"] as const;
// The fixtures were captured with an image tag set, so every app's workload is in them.
const CONFIG = ["gamemetrics:apps.imageTag=1.0.0"];

const before = (stack: string): string[] => JSON.parse(readFileSync(join(__dirname, "fixtures", `urns-before-rename-${stack}.json`), "utf8")) as string[];

/** Every URN the engine would match for a resource: each ancestor and the resource under its type or an alias type. */
function reachableUrns(c: Capture, r: CapturedResource): string[] {
  const byKey = new Map(c.resources.map((x) => [`${x.type}::${x.name}`, x]));
  const lineage: CapturedResource[] = [];
  for (let at: CapturedResource | undefined = r; at !== undefined; at = at.parent === undefined ? undefined : byKey.get(at.parent)) lineage.unshift(at);
  const chains = lineage.reduce<string[]>((acc, x) => {
    const types = [x.type, ...(x.aliasTypes ?? [])];
    return acc.length === 0 ? types : acc.flatMap((prefix) => types.map((t) => `${prefix}$${t}`));
  }, []);
  return chains.map((chain) => `urn:pulumi:${c.stack}::gamemetrics::${chain}::${r.name}`);
}

describe.each(STACKS)("renamed workload layer keeps the %s stack's state", (stack) => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await cachedCapture({ stack, config: CONFIG });
  }, 120_000);

  it("the fixture holds the old layer's resources", () => {
    expect(before(stack).length).toBeGreaterThan(40);
    expect(before(stack).every((u) => u.includes("gamemetrics:apps:"))).toBe(true);
  });

  it("nothing is registered under the old types any more", () => {
    expect(capture.resources.filter((r) => r.urn.includes("gamemetrics:apps:"))).toEqual([]);
  });

  it("every URN of the old layer is a current URN or reached through aliases", () => {
    const reachable = new Set(capture.resources.flatMap((r) => reachableUrns(capture, r)));
    expect(before(stack).filter((u) => !reachable.has(u))).toEqual([]);
  });
});
