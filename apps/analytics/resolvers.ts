// Typed resolvers: authorization per game and role, argument checks, the closed-range cache, then
// one query module per metric. Nothing here touches a table directly.
import type DataLoader from "dataloader";
import type WebSocket from "ws";
import { AuthError, authorize, type Principal, type Role } from "../shared/auth";
import type { ResultCache } from "./cache";
import type { QueryLimits } from "./config";
import { apiError, badInput, fromAuthError } from "./errors";
import type { LiveHub } from "./live";
import { activePlayers, activeWindows, sessionLengths, sessions, type MetricArgs } from "./queries/activity";
import { designEvents, errorEvents, eventCounts, progression, resourceFlows } from "./queries/content";
import type { Dimension, DimensionFilter } from "./queries/dims";
import { summaryLoader, timeline, type PlayerSummary } from "./queries/player";
import { retention } from "./queries/retention";
import { revenue } from "./queries/revenue";
import { checkRange, DateRange, Granularity, isClosed } from "./range";
import type { Reader } from "./reader";
import type { Recommender } from "./recommendations";

export interface AnalyticsContext {
  readonly principal: Principal;
  readonly db: Reader;
  readonly cache: ResultCache;
  readonly limits: QueryLimits;
  readonly live: LiveHub;
  readonly recommend: Recommender;
  /** Per request: one summary loader per game. */
  readonly summaries: Map<string, DataLoader<string, PlayerSummary | null>>;
  readonly onLoaderBatch: (size: number) => void;
  readonly socket?: WebSocket;
  readonly now: () => number;
}

export const METRIC_ROLES: readonly Role[] = ["analyst", "admin", "service"];
export const PLAYER_ROLES: readonly Role[] = ["support", "admin"];
const ANY_ROLE: readonly Role[] = ["analyst", "admin", "service", "support"];
/** The recommendations service's page limit (RECOMMENDATIONS_DEFAULTS.maxLimit). */
const MAX_RECOMMENDATIONS = 50;

interface GameRef {
  readonly id: string;
}
interface PlayerRef {
  readonly id: string;
  readonly gameId: string;
}
interface SeriesArgs {
  readonly range: DateRange;
  readonly granularity: Granularity;
  readonly breakdown: readonly Dimension[];
  readonly filter?: DimensionFilter | null;
}
interface RangeArgs {
  readonly range: DateRange;
}

/** Checks the range, then answers from the cache when the whole range is over. */
function metric<A extends RangeArgs & { granularity?: Granularity }, T>(
  field: string,
  compute: (ctx: AnalyticsContext, gameId: string, args: A) => Promise<T>,
): (game: GameRef, args: A, ctx: AnalyticsContext) => Promise<T> {
  return async (game, args, ctx) => {
    authorize(ctx.principal, { roles: METRIC_ROLES, gameId: game.id });
    const range = checkRange("range", args.range, args.granularity ?? "DAY", ctx.limits.maxBuckets);
    const checked = { ...args, range };
    const run = () => compute(ctx, game.id, checked);
    return isClosed(range, ctx.now()) ? ctx.cache.through(game.id, field, checked, run) : run();
  };
}

const series = (a: SeriesArgs): MetricArgs => ({ range: a.range, granularity: a.granularity, breakdown: a.breakdown, filter: a.filter });
const today = (ctx: AnalyticsContext) => new Date(ctx.now()).toISOString().slice(0, 10);

function loaderFor(ctx: AnalyticsContext, gameId: string): DataLoader<string, PlayerSummary | null> {
  let l = ctx.summaries.get(gameId);
  if (l === undefined) ctx.summaries.set(gameId, (l = summaryLoader(ctx.db, gameId, ctx.onLoaderBatch)));
  return l;
}

export const resolvers = {
  Query: {
    game: (_root: unknown, args: { id: string }, ctx: AnalyticsContext): GameRef => {
      authorize(ctx.principal, { roles: ANY_ROLE, gameId: args.id });
      return { id: args.id };
    },
  },
  Game: {
    activePlayers: metric("activePlayers", (ctx, g, a: SeriesArgs) => activePlayers(ctx.db, g, series(a), ctx.limits)),
    activeWindows: metric("activeWindows", (ctx, g, a: RangeArgs) => activeWindows(ctx.db, g, a.range)),
    sessions: metric("sessions", (ctx, g, a: SeriesArgs) => sessions(ctx.db, g, series(a), ctx.limits)),
    sessionLengths: metric("sessionLengths", (ctx, g, a: RangeArgs) => sessionLengths(ctx.db, g, a.range)),
    revenue: metric("revenue", (ctx, g, a: SeriesArgs) => revenue(ctx.db, g, series(a), ctx.limits)),
    progression: metric("progression", (ctx, g, a: RangeArgs & { pathPrefix?: string | null; first: number }) => progression(ctx.db, g, a.range, a.pathPrefix, a.first)),
    resourceFlows: metric("resourceFlows", (ctx, g, a: RangeArgs) => resourceFlows(ctx.db, g, a.range)),
    designEvents: metric("designEvents", (ctx, g, a: RangeArgs & { top: number }) => designEvents(ctx.db, g, a.range, a.top)),
    errors: metric("errors", (ctx, g, a: RangeArgs) => errorEvents(ctx.db, g, a.range)),
    eventCounts: metric("eventCounts", (ctx, g, a: RangeArgs & { granularity: Granularity }) => eventCounts(ctx.db, g, a.range, a.granularity)),
    // Retention over cohorts changes as cohorts age, so it is cached only once day 30 of the last cohort has passed.
    retention: async (game: GameRef, args: { cohorts: DateRange; days: number[] }, ctx: AnalyticsContext) => {
      authorize(ctx.principal, { roles: METRIC_ROLES, gameId: game.id });
      const cohorts = checkRange("cohorts", args.cohorts, "DAY", ctx.limits.maxBuckets);
      const run = () => retention(ctx.db, game.id, cohorts, args.days, today(ctx));
      const settled = isClosed({ from: cohorts.from, to: cohorts.to }, ctx.now() - (Math.max(0, ...args.days) + 1) * 86_400_000);
      return settled ? ctx.cache.through(game.id, "retention", { cohorts, days: args.days }, run) : run();
    },
    player: (game: GameRef, args: { id: string }, ctx: AnalyticsContext): PlayerRef => {
      authorize(ctx.principal, { roles: PLAYER_ROLES, gameId: game.id });
      return { id: args.id, gameId: game.id };
    },
    players: (game: GameRef, args: { ids: string[] }, ctx: AnalyticsContext): PlayerRef[] => {
      authorize(ctx.principal, { roles: PLAYER_ROLES, gameId: game.id });
      if (args.ids.length > 500) throw apiError("BAD_USER_INPUT", "ids: at most 500 players per query", { field: "ids" });
      return args.ids.map((id) => ({ id, gameId: game.id }));
    },
  },
  Player: {
    summary: (p: PlayerRef, _args: unknown, ctx: AnalyticsContext) => loaderFor(ctx, p.gameId).load(p.id),
    timeline: (p: PlayerRef, args: { first: number; after?: string | null }, ctx: AnalyticsContext) => timeline(ctx.db, p.gameId, p.id, args.first, args.after),
    // Authorized with the player (support, admin); the service is called with analytics' own token.
    recommendations: async (p: PlayerRef, args: { kind: "ITEMS" | "LEVELS"; limit: number }, ctx: AnalyticsContext) => {
      if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_RECOMMENDATIONS) throw badInput("limit", `${args.limit} is not a count from 1 to ${MAX_RECOMMENDATIONS}`);
      const page = await ctx.recommend(p.gameId, p.id, args.kind === "LEVELS" ? "levels" : "items", args.limit);
      return { ...page, kind: args.kind };
    },
  },
  Subscription: {
    liveCounters: {
      subscribe: (_root: unknown, args: { gameId: string }, ctx: AnalyticsContext) => {
        // Errors here skip the HTTP error formatter: give them their code now.
        try {
          authorize(ctx.principal, { roles: METRIC_ROLES, gameId: args.gameId });
        } catch (err) {
          throw err instanceof AuthError ? fromAuthError(err) : err;
        }
        return ctx.live.subscribe(args.gameId, ctx.socket);
      },
    },
  },
};
