import { cycles, importGraph, layerOf } from "./import-graph";

const graph = importGraph(["infra", "apps", "policies", "local", "bench", "tests"]);

/** Folder-level edges; infra's top-level files (program, contracts, tags) are each their own node. */
function layerGraph(files: Map<string, string[]>): Map<string, string[]> {
  const node = (f: string) => (/^infra\/[^/]+\.ts$/.test(f) ? f : layerOf(f));
  const layers = new Map<string, Set<string>>();
  for (const [from, targets] of files) {
    for (const to of targets) {
      const [a, b] = [node(from), node(to)];
      if (a === b) continue;
      if (!layers.has(a)) layers.set(a, new Set());
      layers.get(a)?.add(b);
    }
  }
  return new Map([...layers].map(([k, v]) => [k, [...v]]));
}

const importsOf = (prefix: string) => [...graph].filter(([f]) => f.startsWith(prefix)).flatMap(([f, ts]) => ts.map((t) => [f, t] as const));

describe("imports run one way", () => {
  it("the cycle finder reports a planted cycle and a self-import, and passes a chain", () => {
    const planted = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]]);
    expect(cycles(planted)).toEqual(expect.arrayContaining([["a", "b", "c"], ["d"]]));
    expect(cycles(planted)).toHaveLength(2);
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });

  it("no file imports itself back through others", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("no folder imports itself back through others (infra/* -> infra/config, apps/* -> apps/shared)", () => {
    expect(cycles(layerGraph(graph))).toEqual([]);
  });

  it("infra/config depends on no capability", () => {
    expect(importsOf("infra/config/").filter(([, t]) => !t.startsWith("infra/config/"))).toEqual([]);
  });

  it("a service imports only apps/shared and its own folder; apps/shared imports no service", () => {
    const crossing = importsOf("apps/").filter(([f, t]) => t.startsWith("apps/") && layerOf(t) !== layerOf(f) && layerOf(t) !== "apps/shared");
    expect(crossing).toEqual([]);
    expect(importsOf("apps/shared/").filter(([, t]) => !t.startsWith("apps/shared/"))).toEqual([]);
  });
});
