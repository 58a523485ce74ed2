// The business's allow/deny lists per game and kind (rec_rules), changed by `npm run recommendations -- rules`
// (audited) and read by the service through a short in-process cache.
import type { Pool } from "pg";
import { appendAudit } from "../shared/audit";
import { inTransaction } from "../shared/pg";
import type { Kind } from "./interactions";

export type Rule = "allow" | "deny";

export interface GameRules {
  /** Empty: every item may be offered. */
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export async function readRules(pool: Pool, game: string, kind: Kind): Promise<GameRules> {
  const { rows } = await pool.query<{ item_id: string; rule: Rule }>("SELECT item_id, rule FROM rec_rules WHERE game_id = $1 AND kind = $2 ORDER BY item_id", [game, kind]);
  return { allow: rows.filter((r) => r.rule === "allow").map((r) => r.item_id), deny: rows.filter((r) => r.rule === "deny").map((r) => r.item_id) };
}

/** Sets (or with rule null, clears) rules for items, with an audit record in the same transaction. */
export async function setRules(pool: Pool, actor: string, game: string, kind: Kind, rule: Rule | null, items: readonly string[]): Promise<void> {
  await inTransaction(pool, async (c) => {
    if (rule === null) {
      await c.query("DELETE FROM rec_rules WHERE game_id = $1 AND kind = $2 AND item_id = ANY($3::text[])", [game, kind, items]);
    } else {
      await c.query(
        `INSERT INTO rec_rules (game_id, kind, item_id, rule) SELECT $1, $2, unnest($3::text[]), $4
         ON CONFLICT (game_id, kind, item_id) DO UPDATE SET rule = EXCLUDED.rule, created_at = now()`,
        [game, kind, items, rule],
      );
    }
    await appendAudit(c, { actor, action: rule === null ? "recommendations.rules.clear" : `recommendations.rules.${rule}`, target: `game:${game}`, details: { kind, items: [...items] } });
  });
}

/** Rules per (game, kind), re-read at most every `ttlMs`: a change reaches every pod within that. */
export class RulesCache {
  private readonly entries = new Map<string, { at: number; rules: Promise<GameRules> }>();

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
  ) {}

  get(game: string, kind: Kind): Promise<GameRules> {
    const key = `${game}/${kind}`;
    const e = this.entries.get(key);
    if (e !== undefined && Date.now() - e.at < this.ttlMs) return e.rules;
    const rules = readRules(this.pool, game, kind);
    this.entries.set(key, { at: Date.now(), rules });
    rules.catch(() => this.entries.delete(key));
    return rules;
  }
}
