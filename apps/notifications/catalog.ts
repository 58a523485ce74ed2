// Templates and trigger rules: written by admins through the API, read on every request and every
// processed event, so both are cached per pod and re-read after a short TTL.
import type { Pool, PoolClient } from "pg";
import type { Category, Channel, ChannelContent, Template, VariableSpec } from "./model";

export interface TemplateInput {
  category: Category;
  default_locale: string;
  variables: Record<string, VariableSpec>;
  locales: Record<string, Partial<Record<Channel, ChannelContent>>>;
  digest_window_sec?: number;
}

export interface Rule {
  gameId: string;
  ruleId: string;
  eventType: string;
  match: Record<string, string | number | boolean | (string | number | boolean)[]>;
  templateId: string;
  channels: Channel[];
  oncePerPlayer: boolean;
  /** When the rule was saved: it fires for events received from then on, never for a backlog. */
  since: Date;
}

export interface RuleInput {
  event_type: string;
  match?: Rule["match"];
  template: string;
  channels: Channel[];
  once_per_player?: boolean;
  enabled?: boolean;
}

interface TemplateRow {
  game_id: string;
  template_id: string;
  category: Category;
  variables: Record<string, VariableSpec>;
  default_locale: string;
  contents: Template["contents"];
  digest_window_sec: number;
  updated_at: Date;
}

const toTemplate = (r: TemplateRow): Template => ({
  gameId: r.game_id,
  templateId: r.template_id,
  category: r.category,
  variables: r.variables,
  defaultLocale: r.default_locale,
  contents: r.contents,
  digestWindowSec: r.digest_window_sec,
  updatedAt: r.updated_at,
});

export async function upsertTemplate(c: PoolClient, gameId: string, templateId: string, t: TemplateInput): Promise<{ created: boolean }> {
  const { rows } = await c.query<{ created: boolean }>(
    `INSERT INTO notification_templates (game_id, template_id, category, variables, default_locale, contents, digest_window_sec)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (game_id, template_id) DO UPDATE SET category = EXCLUDED.category, variables = EXCLUDED.variables,
       default_locale = EXCLUDED.default_locale, contents = EXCLUDED.contents, digest_window_sec = EXCLUDED.digest_window_sec, updated_at = clock_timestamp()
     RETURNING (xmax = 0) AS created`,
    [gameId, templateId, t.category, JSON.stringify(t.variables), t.default_locale, JSON.stringify(t.locales), t.digest_window_sec ?? 0],
  );
  return rows[0];
}

export async function upsertRule(c: PoolClient, gameId: string, ruleId: string, r: RuleInput): Promise<{ created: boolean }> {
  const { rows } = await c.query<{ created: boolean }>(
    `INSERT INTO notification_rules (game_id, rule_id, event_type, match, template_id, channels, once_per_player, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (game_id, rule_id) DO UPDATE SET event_type = EXCLUDED.event_type, match = EXCLUDED.match, template_id = EXCLUDED.template_id,
       channels = EXCLUDED.channels, once_per_player = EXCLUDED.once_per_player, enabled = EXCLUDED.enabled, updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [gameId, ruleId, r.event_type, JSON.stringify(r.match ?? {}), r.template, r.channels, r.once_per_player ?? false, r.enabled ?? true],
  );
  return rows[0];
}

/** A value read from PostgreSQL, kept for `ttlMs`; concurrent readers share one query. */
class Cached<T> {
  private value: { at: number; v: Promise<T> } | undefined;
  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}
  get(): Promise<T> {
    if (this.value === undefined || Date.now() - this.value.at > this.ttlMs) {
      const v = this.load();
      this.value = { at: Date.now(), v };
      v.catch(() => (this.value = undefined));
    }
    return this.value.v;
  }
  clear(): void {
    this.value = undefined;
  }
}

export class TemplateCache {
  private readonly byKey = new Map<string, Cached<Template | undefined>>();
  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
  ) {}

  get(gameId: string, templateId: string): Promise<Template | undefined> {
    const key = `${gameId}/${templateId}`;
    let c = this.byKey.get(key);
    if (c === undefined) {
      if (this.byKey.size > 10_000) this.byKey.clear();
      c = new Cached(this.ttlMs, async () => {
        const { rows } = await this.pool.query<TemplateRow>("SELECT * FROM notification_templates WHERE game_id = $1 AND template_id = $2", [gameId, templateId]);
        return rows.length === 0 ? undefined : toTemplate(rows[0]);
      });
      this.byKey.set(key, c);
    }
    return c.get();
  }

  /** This pod wrote the template: read it afresh (other pods see it within the TTL). */
  invalidate(gameId: string, templateId: string): void {
    this.byKey.delete(`${gameId}/${templateId}`);
  }
}

/** Every enabled rule, indexed by game and event type (the table is small: it is read whole). */
export class RuleCache {
  private readonly cached: Cached<Map<string, Rule[]>>;
  constructor(pool: Pool, ttlMs: number) {
    this.cached = new Cached(ttlMs, async () => {
      const { rows } = await pool.query<{ game_id: string; rule_id: string; event_type: string; match: Rule["match"]; template_id: string; channels: Channel[]; once_per_player: boolean; updated_at: Date }>(
        "SELECT game_id, rule_id, event_type, match, template_id, channels, once_per_player, updated_at FROM notification_rules WHERE enabled ORDER BY game_id, rule_id",
      );
      const index = new Map<string, Rule[]>();
      for (const r of rows) {
        const key = `${r.game_id}/${r.event_type}`;
        const rule: Rule = { gameId: r.game_id, ruleId: r.rule_id, eventType: r.event_type, match: r.match, templateId: r.template_id, channels: r.channels, oncePerPlayer: r.once_per_player, since: r.updated_at };
        index.set(key, [...(index.get(key) ?? []), rule]);
      }
      return index;
    });
  }

  invalidate(): void {
    this.cached.clear();
  }

  async rulesFor(gameId: string, eventType: string): Promise<Rule[]> {
    return (await this.cached.get()).get(`${gameId}/${eventType}`) ?? [];
  }
}
