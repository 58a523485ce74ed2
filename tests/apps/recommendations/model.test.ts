// The factor model's math against independent checks: normal equations, gradients, planted groups.
import { buildGameModel } from "../../../apps/recommendations/game-model";
import { decay, exclusionsOf, summarize, touchOf, WEIGHTS, type InteractionPolicy } from "../../../apps/recommendations/interactions";
import { ALS_DEFAULTS, foldIn } from "../../../apps/recommendations/model/als";
import { dot, gram, rng, solveSpd } from "../../../apps/recommendations/model/linalg";
import { plantedDataset } from "../../../apps/recommendations/planted";
import { evaluateSplit, timeSplit } from "../../../apps/recommendations/evaluate";

const policy: InteractionPolicy = { halfLifeMs: 14 * 86_400_000, repeatableItemTypes: new Set(["booster"]), abandonAfterFails: 3 };
const DAY = 86_400_000;

describe("linear algebra", () => {
  it("solves a symmetric positive definite system (residual checked by multiplying back)", () => {
    const rand = rng(1);
    const k = 8;
    const m = Float64Array.from({ length: k * 20 }, () => rand() - 0.5);
    const a = gram(m, 20, k);
    for (let i = 0; i < k; i++) a[i * k + i] += 0.1;
    const b = Float64Array.from({ length: k }, () => rand());
    const x = solveSpd(a, b, k);
    for (let i = 0; i < k; i++) {
      let ax = 0;
      for (let j = 0; j < k; j++) ax += a[i * k + j] * x[j];
      expect(ax).toBeCloseTo(b[i], 9);
    }
    expect(() => solveSpd(new Float64Array([1, 2, 2, 1]), new Float64Array([1, 1]), 2)).toThrow(/positive definite/);
  });
});

describe("fold-in (the player step of implicit ALS)", () => {
  it("zeroes the gradient of the weighted loss over every item, observed or not", () => {
    const rand = rng(2);
    const k = 6;
    const items = 30;
    const y = Float32Array.from({ length: items * k }, () => rand() - 0.5);
    const observed = new Map([[3, 2.0], [7, 0.5], [19, 5.0]]);
    const p = { regularization: 0.05, alpha: 10 };
    const x = foldIn(gram(y, items, k), k, p, [...observed].map(([i, s]) => ({ vector: y.subarray(i * k, (i + 1) * k), strength: s })));
    // Loss: Σ_i c_i (p_i - x·y_i)² + λ|x|², c = 1 + α s for observed (p = 1), c = 1 otherwise (p = 0).
    const grad = new Float64Array(k);
    for (let i = 0; i < items; i++) {
      const yi = y.subarray(i * k, (i + 1) * k);
      const s = observed.get(i);
      const c = s === undefined ? 1 : 1 + p.alpha * s;
      const err = dot(x, yi) - (s === undefined ? 0 : 1);
      for (let j = 0; j < k; j++) grad[j] += c * err * yi[j];
    }
    for (let j = 0; j < k; j++) expect(grad[j] + p.regularization * x[j]).toBeCloseTo(0, 4);
  });
});

describe("interactions", () => {
  it("maps events to touches: purchases and sinks are items, sources are not, progression are levels", () => {
    const at = Date.now();
    expect(touchOf("purchase", { item_id: "sword", item_type: "weapon" }, at, "ios", policy)).toMatchObject({ kind: "items", item: "sword", weight: WEIGHTS.purchase, owns: true });
    expect(touchOf("resource", { flow: "sink", item_id: "boost", item_type: "booster" }, at, null, policy)).toMatchObject({ kind: "items", item: "boost", owns: false });
    expect(touchOf("resource", { flow: "source", item_id: "quest", item_type: "reward" }, at, null, policy)).toBeNull();
    expect(touchOf("progression", { status: "complete", levels: ["w1", "l3"] }, at, null, policy)).toMatchObject({ kind: "levels", item: "w1/l3", completes: true });
    expect(touchOf("design", { design_id: "ui.open" }, at, null, policy)).toBeNull();
  });

  it("decays strength by half per half-life and marks owned, completed and abandoned", () => {
    const now = Date.now();
    const t = (type: string, f: Record<string, unknown>, ageDays: number) => touchOf(type, f, now - ageDays * DAY, null, policy)!;
    const s = summarize([t("purchase", { item_id: "a", item_type: "x" }, 14), t("purchase", { item_id: "a", item_type: "x" }, 0), ...[1, 2, 3].map((d) => t("progression", { status: "fail", levels: ["l9"] }, d)), t("progression", { status: "complete", levels: ["l1"] }, 0)], now, policy);
    expect(s.get("items:a")!.strength).toBeCloseTo(WEIGHTS.purchase * 1.5, 9);
    expect(decay(now - 28 * DAY, now, policy.halfLifeMs)).toBeCloseTo(0.25, 12);
    expect(exclusionsOf(s.values(), policy).map((e) => `${e.kind}:${e.item}:${e.reason}`).sort()).toEqual(["items:a:owned", "levels:l1:completed", "levels:l9:abandoned"]);
  });
});

describe("implicit ALS on a planted dataset", () => {
  it("recovers the planted groups: a player's nearest items are mostly their segment's", () => {
    const now = Date.now();
    const ds = plantedDataset({ game: "g", players: 600, items: 120, segments: 6, perPlayer: 15, inGroup: 0.8, days: 20, now, seed: 3 });
    const gm = buildGameModel("g", ds.players, now, policy, { ...ALS_DEFAULTS, factors: 16, minSupport: 2 });
    const learned = gm.items.filter((i) => i.vector !== null);
    let inGroup = 0;
    let total = 0;
    for (const p of gm.players) {
      const top = learned.map((i) => ({ item: i.item, s: dot(p.vector, i.vector!) })).sort((a, b) => b.s - a.s).slice(0, 10);
      inGroup += top.filter((t) => ds.groupOf(t.item) === ds.segmentOf(p.player)).length;
      total += top.length;
    }
    // By chance a tenth of them would be (1 group in 6 → 17 %); the planted share of in-group play is 80 %.
    expect(inGroup / total).toBeGreaterThan(0.8);
  });
});

describe("offline evaluation", () => {
  it("beats popularity on precision@10 by 2x or more on held-out planted interactions", () => {
    const now = Date.now();
    const ds = plantedDataset({ game: "g", players: 1200, items: 300, segments: 10, perPlayer: 20, inGroup: 0.7, days: 30, now, seed: 9 });
    const { train, test } = timeSplit(ds.players, now - 6 * DAY, "items");
    const e = evaluateSplit("g", "items", train, test, now, policy, { ...ALS_DEFAULTS, minSupport: 2 });
    expect(e.players).toBeGreaterThan(1000);
    expect(e.model.precision).toBeGreaterThanOrEqual(2 * e.popularity.precision);
    expect(e.model.recall).toBeGreaterThan(e.popularity.recall);
    expect(e.model.coverage).toBeGreaterThan(e.popularity.coverage);
  });
});
