// Live counters per game, fed from player.events.processed. Every pod consumes the whole topic under a
// consumer group of its own (see LiveConfig.groupPrefix), starting at the newest record: each pod
// sees every update with no hop through Redis, and a pod that dies takes only its subscribers along.
// Subscribers get a snapshot per tick; one that falls behind is dropped, never buffered without bound:
// too many snapshots queued, too many bytes unsent on its socket, or a WebSocket ping unanswered for
// longer than maxLagMs (the pong comes only once the client has read everything sent before it, so
// this catches a client that stopped reading long before the kernel's socket buffers fill).
import type { Counter, Gauge } from "prom-client";
import type WebSocket from "ws";
import type { InRecord } from "../shared/kafka";
import type { LiveConfig } from "./config";

export interface LiveCounters {
  gameId: string;
  at: string;
  eventsPerMinute: { type: string; count: number }[];
  concurrentPlayers: number;
  revenueToday: { currency: string; amountMinor: number }[];
}

/** Counts in a ring of `slots` buckets of `slotMs`; old buckets are cleared as time moves on. */
class Ring {
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;
  constructor(private readonly slots: number, private readonly slotMs: number) {
    this.counts = new Float64Array(slots);
    this.stamps = new Float64Array(slots).fill(-1);
  }
  add(nowMs: number, n: number): void {
    const slot = Math.floor(nowMs / this.slotMs);
    const i = slot % this.slots;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.counts[i] = 0;
    }
    this.counts[i] += n;
  }
  sum(nowMs: number): number {
    const slot = Math.floor(nowMs / this.slotMs);
    let s = 0;
    for (let i = 0; i < this.slots; i++) if (this.stamps[i] > slot - this.slots) s += this.counts[i];
    return s;
  }
}

interface GameState {
  readonly byType: Map<string, Ring>;
  readonly sessions: Ring;
  purchasesSeen: boolean;
  revenue: { day: string; rows: LiveCounters["revenueToday"] } | undefined;
}

interface Subscriber {
  readonly gameId: string;
  readonly socket: WebSocket | undefined;
  readonly queue: LiveCounters[];
  wake: (() => void) | undefined;
  closed: boolean;
  /** When the unanswered WebSocket ping went out (its pong queues behind every byte still unread). */
  pingAt: number | undefined;
  readonly onPong: () => void;
}

export interface LiveDeps {
  readonly config: LiveConfig;
  /** Gross revenue of one UTC day per currency, from the rollups. */
  readonly revenueOf: (gameId: string, day: string) => Promise<LiveCounters["revenueToday"]>;
  /** A stored event of a day that has ended: cached answers of that game are stale. */
  readonly onLateEvent: (gameId: string) => void;
  readonly metrics: { dropped: Counter; subscribers: Gauge; liveEvents: Counter };
  readonly onError: (err: unknown) => void;
  readonly now?: () => number;
}

interface Processed {
  game_id?: unknown;
  type?: unknown;
  event_day?: unknown;
}

export class LiveHub {
  private readonly games = new Map<string, GameState>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: LiveDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick().catch(this.deps.onError), this.deps.config.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const set of this.subscribers.values()) for (const s of set) this.end(s);
  }

  private state(gameId: string): GameState {
    let g = this.games.get(gameId);
    if (g === undefined) {
      const c = this.deps.config;
      g = { byType: new Map(), sessions: new Ring(60, Math.ceil(c.concurrentWindowMs / 60)), purchasesSeen: true, revenue: undefined };
      this.games.set(gameId, g);
    }
    return g;
  }

  /** The batch handler of the processed-topic consumer. */
  ingest(records: readonly InRecord[]): void {
    const now = this.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const late = new Set<string>();
    for (const r of records) {
      let e: Processed;
      try {
        e = JSON.parse(r.value?.toString("utf8") ?? "") as Processed;
      } catch {
        continue; // the processor wrote it; a bad record is not ours to stop on
      }
      if (typeof e.game_id !== "string" || typeof e.type !== "string") continue;
      const g = this.state(e.game_id);
      let ring = g.byType.get(e.type);
      if (ring === undefined) g.byType.set(e.type, (ring = new Ring(60, 1000)));
      ring.add(now, 1);
      if (e.type === "session_start") g.sessions.add(now, 1);
      if (e.type === "session_end") g.sessions.add(now, -1);
      if (e.type === "purchase") g.purchasesSeen = true;
      if (typeof e.event_day === "string" && e.event_day < today) late.add(e.game_id);
    }
    this.deps.metrics.liveEvents.inc(records.length);
    for (const gameId of late) this.deps.onLateEvent(gameId);
  }

  async snapshot(gameId: string): Promise<LiveCounters> {
    const now = this.now();
    const g = this.state(gameId);
    const day = new Date(now).toISOString().slice(0, 10);
    if (g.purchasesSeen || g.revenue?.day !== day) {
      g.purchasesSeen = false;
      g.revenue = { day, rows: await this.deps.revenueOf(gameId, day) };
    }
    return {
      gameId,
      at: new Date(now).toISOString(),
      eventsPerMinute: [...g.byType].map(([type, r]) => ({ type, count: r.sum(now) })).filter((x) => x.count > 0).sort((a, b) => a.type.localeCompare(b.type)),
      concurrentPlayers: Math.max(0, g.sessions.sum(now)),
      revenueToday: g.revenue.rows,
    };
  }

  private async tick(): Promise<void> {
    const max = this.deps.config.maxQueuedSnapshots;
    for (const [gameId, set] of this.subscribers) {
      if (set.size === 0) continue;
      const snap = await this.snapshot(gameId);
      const now = this.now();
      for (const s of set) {
        if (s.queue.length >= max || (s.socket?.bufferedAmount ?? 0) > this.deps.config.maxBufferedBytes || now - (s.pingAt ?? now) > this.deps.config.maxLagMs) {
          this.drop(s);
          continue;
        }
        if (s.pingAt === undefined && s.socket !== undefined) {
          s.pingAt = now;
          s.socket.ping();
        }
        s.queue.push(snap);
        s.wake?.();
      }
    }
  }

  private drop(s: Subscriber): void {
    this.deps.metrics.dropped.inc();
    this.end(s);
    s.socket?.terminate();
  }

  private end(s: Subscriber): void {
    if (s.closed) return;
    s.closed = true;
    s.socket?.off("pong", s.onPong);
    this.subscribers.get(s.gameId)?.delete(s);
    this.deps.metrics.subscribers.dec();
    s.wake?.();
  }

  /** The subscription's event stream: a first snapshot at once, then one per tick. */
  subscribe(gameId: string, socket: WebSocket | undefined): AsyncIterableIterator<{ liveCounters: LiveCounters }> {
    const s: Subscriber = { gameId, socket, queue: [], wake: undefined, closed: false, pingAt: undefined, onPong: () => (s.pingAt = undefined) };
    socket?.on("pong", s.onPong);
    const set = this.subscribers.get(gameId) ?? new Set();
    this.subscribers.set(gameId, set.add(s));
    this.deps.metrics.subscribers.inc();
    void this.snapshot(gameId).then((snap) => {
      s.queue.unshift(snap);
      s.wake?.();
    }, this.deps.onError);
    const iterator: AsyncIterableIterator<{ liveCounters: LiveCounters }> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!s.closed && s.queue.length === 0) await new Promise<void>((resolve) => (s.wake = resolve));
        s.wake = undefined;
        const value = s.queue.shift();
        return s.closed || value === undefined ? { done: true, value: undefined } : { done: false, value: { liveCounters: value } };
      },
      return: async () => {
        this.end(s);
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }
}
