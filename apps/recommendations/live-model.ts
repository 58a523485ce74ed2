// Which model version is live, and what serving needs of it per game (kept in memory, loaded once
// per version and game): the Gram matrix and params for folding players in, the popularity lists,
// the set of learned items. The alias in the vector store is the source of truth; with the embedded
// store this process also loads each new ready version from PostgreSQL and swaps its own alias.
import type { Pool } from "pg";
import type { Logger } from "../shared/logger";
import { collectionOf, LIVE_ALIAS, versionOf } from "./ids";
import { itemKey, KINDS, type Kind } from "./interactions";
import { gameMeta, modelParams, popularItems, readyModels, type StoredItem } from "./model-store";
import type { VectorStore } from "./vector-store/types";

export interface Live {
  readonly version: string;
  readonly collection: string;
}

export interface GameState {
  readonly dim: number;
  readonly gram: Float64Array;
  readonly regularization: number;
  readonly alpha: number;
  readonly popular: Readonly<Record<Kind, readonly StoredItem[]>>;
  /** itemKey(kind, item) of the items that have a point in the collection. */
  readonly learned: ReadonlySet<string>;
}

/** Popular items kept per game and kind: enough to fill a page after exclusions and filters. */
export const POPULAR_DEPTH = 500;

export class LiveModel {
  private live: Live | null = null;
  private readonly games = new Map<string, Promise<GameState | null>>();
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;

  constructor(
    private readonly store: VectorStore,
    private readonly pool: Pool,
    private readonly logger: Logger,
    /** Embedded store: publishes a newer ready version into this process's index. */
    private readonly publishNewer?: (version: string) => Promise<void>,
  ) {}

  current(): Live | null {
    return this.live;
  }

  /** True once the first refresh finished (a version is live, or none exists yet). */
  get ready(): boolean {
    return this.loaded;
  }

  private refreshing: Promise<Live | null> | undefined;

  /** Re-reads the alias (single-flight: concurrent callers share one refresh). */
  refresh(): Promise<Live | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<Live | null> {
    if (this.publishNewer !== undefined) {
      const newest = (await readyModels(this.pool))[0];
      const target = await this.store.aliasTarget(LIVE_ALIAS);
      if (newest !== undefined && target !== collectionOf(newest.version)) await this.publishNewer(newest.version);
    }
    const target = await this.store.aliasTarget(LIVE_ALIAS);
    const version = target === null ? null : versionOf(target);
    const next = version === null || target === null ? null : { version, collection: target };
    if (next?.version !== this.live?.version) {
      this.logger.info({ from: this.live?.version ?? null, to: next?.version ?? null }, "live model version changed");
      for (const key of this.games.keys()) if (!key.startsWith(`${next?.version}/`)) this.games.delete(key);
    }
    this.live = next;
    this.loaded = true;
    return next;
  }

  start(pollMs: number): void {
    const tick = () =>
      void this.refresh()
        .catch((err: unknown) => this.logger.warn({ err }, "could not refresh the live model; keeping the current one"))
        .finally(() => (this.timer = setTimeout(tick, pollMs)));
    this.timer = setTimeout(tick, pollMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  game(version: string, game: string): Promise<GameState | null> {
    const key = `${version}/${game}`;
    let g = this.games.get(key);
    if (g === undefined) {
      g = this.load(version, game);
      this.games.set(key, g);
      g.catch(() => this.games.delete(key));
    }
    return g;
  }

  private async load(version: string, game: string): Promise<GameState | null> {
    const meta = await gameMeta(this.pool, version, game);
    if (meta === null) return null;
    const params = (await modelParams(this.pool, version)) ?? {};
    const popular = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await popularItems(this.pool, version, game, k, POPULAR_DEPTH)] as const))) as Record<Kind, StoredItem[]>;
    const { rows } = await this.pool.query<{ kind: Kind; item_id: string }>("SELECT kind, item_id FROM rec_items WHERE version = $1 AND game_id = $2 AND vector IS NOT NULL", [version, game]);
    return {
      dim: meta.dim,
      gram: meta.gram,
      regularization: Number(params.regularization),
      alpha: Number(params.alpha),
      popular,
      learned: new Set(rows.map((r) => itemKey(r.kind, r.item_id))),
    };
  }
}
