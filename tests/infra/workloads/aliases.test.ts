// The workload layer was renamed (infra/apps, gamemetrics:apps:* -> infra/workloads,
// gamemetrics:workloads:*). A stack deployed before the rename must keep its resources: every URN it
// had (fixtures/, captured from the program just before the rename) must be the URN of a resource now,
// or one the engine derives from the aliases (each ancestor's old type, inherited by its children).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APP_NAMES } from "../../../infra/config/sections/apps";
import type { Capture, CapturedResource } from "../../../infra/tools/capture";
import { cachedCapture } from "../../support/captures";

const STACKS = ["dev", "prod"] as const;
// The fixtures were captured with an image tag set and Pulumi delivering the apps, so every app's workload is in them.
const CONFIG = ["gamemetrics:apps.imageTag=1.0.0", "gamemetrics:apps.delivery=pulumi"];

const fixture = (stack: string): string[] => JSON.parse(readFileSync(join(__dirname, "fixtures", `urns-before-rename-${stack}.json`), "utf8")) as string[];
/** The app a URN of the old layer belongs to (`apps-<app>-...`), or undefined for the layer's own resources. */
const appOf = (urn: string): string | undefined => /::apps-([a-z]+)(-|$)/.exec(urn)?.[1];
// Apps that had no code were taken out of the catalog after the rename: their resources go with them.
const before = (stack: string): string[] => fixture(stack).filter((u) => { const app = appOf(u); return app === undefined || (APP_NAMES as readonly string[]).includes(app); });

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
    expect(fixture(stack).length).toBeGreaterThan(40);
    expect(fixture(stack).every((u) => u.includes("gamemetrics:apps:"))).toBe(true);
    expect(before(stack).length).toBeGreaterThan(12);
  });

  it("nothing is registered under the old types any more", () => {
    expect(capture.resources.filter((r) => r.urn.includes("gamemetrics:apps:"))).toEqual([]);
  });

  it("every URN of the old layer is a current URN or reached through aliases", () => {
    const reachable = new Set(capture.resources.flatMap((r) => reachableUrns(capture, r)));
    expect(before(stack).filter((u) => !reachable.has(u))).toEqual([]);
  });
});
