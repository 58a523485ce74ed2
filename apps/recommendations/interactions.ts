// What counts as an interaction, how strong it is and what it rules out: one pure definition used by
// training (stored events over a window), the online updater (the processed topic) and evaluation.
//
// Items are what players buy, unlock or use: purchase item_ids and resource *sink* item_ids (a sink
// spends currency on the item; a source's item_id names where currency came from, not an item).
// Levels are progression level paths ("world1/level3"). Owned items and completed levels are
// excluded from a player's recommendations; a level failed repeatedly and never completed is
// "abandoned": excluded too, and used as a negative example (steer away from levels like it).

export const KINDS = ["items", "levels"] as const;
export type Kind = (typeof KINDS)[number];

export type ExclusionReason = "owned" | "completed" | "abandoned";

export interface InteractionPolicy {
  /** Strength halves every this many milliseconds: recent play counts more. */
  readonly halfLifeMs: number;
  /** Item types bought again and again (consumables): buying one does not exclude it. */
  readonly repeatableItemTypes: ReadonlySet<string>;
  /** Fails without a completion after which a level counts as abandoned. */
  readonly abandonAfterFails: number;
}

export const WEIGHTS = { purchase: 4, sink: 2, start: 1, fail: 0.5, complete: 2 } as const;

export interface Touch {
  readonly kind: Kind;
  readonly item: string;
  readonly weight: number;
  /** ms since epoch */
  readonly at: number;
  readonly platform: string | null;
  readonly owns: boolean;
  readonly completes: boolean;
  readonly fails: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The interaction an event stands for, or null for events that are none (sessions, design, errors, sources). */
export function touchOf(type: string, fields: Readonly<Record<string, unknown>>, at: number, platform: string | null, policy: InteractionPolicy): Touch | null {
  const base = { at, platform, completes: false, fails: false };
  if (type === "purchase" || (type === "resource" && fields.flow === "sink")) {
    const item = str(fields.item_id);
    if (item === undefined) return null;
    const repeatable = policy.repeatableItemTypes.has(str(fields.item_type) ?? "");
    return { ...base, kind: "items", item, weight: type === "purchase" ? WEIGHTS.purchase : WEIGHTS.sink, owns: !repeatable };
  }
  if (type === "progression") {
    const levels = fields.levels;
    if (!Array.isArray(levels) || levels.length === 0 || !levels.every((l) => typeof l === "string")) return null;
    const item = levels.join("/");
    const status = fields.status;
    if (status === "complete") return { ...base, kind: "levels", item, weight: WEIGHTS.complete, owns: false, completes: true };
    if (status === "fail") return { ...base, kind: "levels", item, weight: WEIGHTS.fail, owns: false, fails: true };
    if (status === "start") return { ...base, kind: "levels", item, weight: WEIGHTS.start, owns: false };
  }
  return null;
}

/** One (kind, item) of one player, summed over their touches. */
export interface PlayerItem {
  readonly kind: Kind;
  readonly item: string;
  /** Σ weight · 2^(-(asOf - at) / halfLife): the confidence input of the model. */
  strength: number;
  lastAt: number;
  fails: number;
  completed: boolean;
  owned: boolean;
  readonly platforms: Set<string>;
}

export const itemKey = (kind: Kind, item: string): string => `${kind}:${item}`;

export function decay(at: number, asOf: number, halfLifeMs: number): number {
  return Math.pow(0.5, Math.max(0, asOf - at) / halfLifeMs);
}

/** Folds one player's touches into per-item summaries as of `asOf` (order-independent). */
export function summarize(touches: Iterable<Touch>, asOf: number, policy: InteractionPolicy): Map<string, PlayerItem> {
  const out = new Map<string, PlayerItem>();
  for (const t of touches) {
    const key = itemKey(t.kind, t.item);
    let s = out.get(key);
    if (s === undefined) {
      s = { kind: t.kind, item: t.item, strength: 0, lastAt: t.at, fails: 0, completed: false, owned: false, platforms: new Set() };
      out.set(key, s);
    }
    s.strength += t.weight * decay(t.at, asOf, policy.halfLifeMs);
    s.lastAt = Math.max(s.lastAt, t.at);
    s.fails += t.fails ? 1 : 0;
    s.completed ||= t.completes;
    s.owned ||= t.owns;
    if (t.platform !== null) s.platforms.add(t.platform);
  }
  return out;
}

export interface Exclusion {
  readonly kind: Kind;
  readonly item: string;
  readonly reason: ExclusionReason;
}

export function exclusionsOf(items: Iterable<PlayerItem>, policy: InteractionPolicy): Exclusion[] {
  const out: Exclusion[] = [];
  for (const s of items) {
    const reason: ExclusionReason | null = s.owned ? "owned" : s.completed ? "completed" : s.fails >= policy.abandonAfterFails ? "abandoned" : null;
    if (reason !== null) out.push({ kind: s.kind, item: s.item, reason });
  }
  return out;
}
