// In-app notifications over WebSocket, fanned out across pods through Redis pub/sub: the pod that
// sends publishes once; every pod forwards to the sockets of that player it holds. Live only: a
// player who is not connected sees nothing (the delivery records how many pods were listening).
import { jwtVerify, SignJWT } from "jose";
import type { Logger } from "../../shared/logger";
import type { RedisClient } from "../../shared/redis";
import type { Message, Provider } from "./types";

export interface InAppAddress {
  gameId: string;
  playerId: string;
}

/** What a connected client receives. */
export interface InAppEvent {
  type: "notification";
  notification_id: string;
  title?: string;
  body: string;
  sent_at: string;
}

interface Envelope {
  game_id: string;
  player_id: string;
  event: InAppEvent;
}

/** The pub/sub channel, per topic prefix so platforms (and test runs) sharing one Redis stay apart. */
export const inAppChannel = (prefix: string): string => `${prefix}gm:notifications:in-app`;

export function inAppProvider(redis: RedisClient, channel: string): Provider<InAppAddress> {
  return {
    name: "redis",
    send: async (m: Message, to: InAppAddress) => {
      const envelope: Envelope = {
        game_id: to.gameId,
        player_id: to.playerId,
        event: { type: "notification", notification_id: m.notificationId, title: m.content.subject, body: m.content.text, sent_at: new Date().toISOString() },
      };
      const pods = await redis.publish(channel, JSON.stringify(envelope));
      return { response: `published to ${pods} pod(s)` };
    },
  };
}

export interface Socket {
  send(data: string): void;
}

/** The sockets this pod holds, by player, and the subscription that feeds them. */
export class InAppHub {
  private readonly sockets = new Map<string, Set<Socket>>();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on("message", (ch: string, raw: string) => {
      if (ch !== this.channel) return;
      try {
        const e = JSON.parse(raw) as Envelope;
        for (const s of this.sockets.get(`${e.game_id}/${e.player_id}`) ?? []) s.send(JSON.stringify(e.event));
      } catch (err) {
        this.logger.warn({ err }, "unreadable in-app message");
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Holds the socket until the returned function is called (on close). */
  add(gameId: string, playerId: string, socket: Socket): () => void {
    const key = `${gameId}/${playerId}`;
    const set = this.sockets.get(key) ?? new Set<Socket>();
    set.add(socket);
    this.sockets.set(key, set);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(key);
    };
  }

  get connections(): number {
    let n = 0;
    for (const s of this.sockets.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}

const TICKET_AUDIENCE = "gamemetrics-inbox";

/**
 * Players are not platform principals: a game server (service token) asks for a short-lived ticket
 * for one player, and the game client opens the WebSocket with it.
 */
export function inboxTickets(secret: string, ttlSec = 300) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSec,
    issue: (gameId: string, playerId: string): Promise<string> =>
      new SignJWT({ game: gameId }).setProtectedHeader({ alg: "HS256" }).setSubject(playerId).setAudience(TICKET_AUDIENCE).setIssuedAt().setExpirationTime(`${ttlSec}s`).sign(key),
    verify: async (ticket: string): Promise<InAppAddress> => {
      const { payload } = await jwtVerify(ticket, key, { audience: TICKET_AUDIENCE, algorithms: ["HS256"] });
      if (typeof payload.game !== "string" || typeof payload.sub !== "string") throw new Error("ticket has no game or player");
      return { gameId: payload.game, playerId: payload.sub };
    },
  };
}
export type InboxTickets = ReturnType<typeof inboxTickets>;
