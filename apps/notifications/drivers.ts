// The channel drivers the configuration asks for, each provider behind its own circuit breaker.
// A channel without configuration has no driver: requests naming it are refused at intake. The
// provider SDKs are loaded only when configured (firebase-admin alone adds tens of MB of RSS).
import type { Pool } from "pg";
import type { Logger } from "../shared/logger";
import type { RedisClient } from "../shared/redis";
import { GuardedProvider } from "./breaker";
import { providerDriver } from "./channels/driver";
import { smtpProvider } from "./channels/email";
import { InAppHub, inAppChannel, inAppProvider, inboxTickets, type InboxTickets } from "./channels/in-app";
import { pushDriver } from "./channels/push";
import type { ChannelDriver, Provider } from "./channels/types";
import type { NotificationsConfig } from "./config";
import type { NotificationsMetrics } from "./metrics";
import type { Channel, PushTarget } from "./model";

export interface Drivers {
  byChannel: Partial<Record<Channel, ChannelDriver>>;
  channels: Channel[];
  pushKinds: PushTarget["kind"][];
  inApp?: { hub: InAppHub; tickets: InboxTickets };
  close(): Promise<void>;
}

export async function buildDrivers(
  config: NotificationsConfig,
  io: { pool: Pool; redis: RedisClient | undefined; metrics: NotificationsMetrics; logger: Logger; topicPrefix: string },
): Promise<Drivers> {
  const timeout = config.dispatch.sendTimeoutMs;
  const breakers: GuardedProvider<never>[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const guard = <A>(p: Provider<A>): GuardedProvider<A> => {
    const g = new GuardedProvider(p, config.breaker, io.metrics.breaker);
    breakers.push(g as unknown as GuardedProvider<never>);
    return g;
  };
  const byChannel: Partial<Record<Channel, ChannelDriver>> = {};

  const { primary, failover, from } = config.email;
  if (primary !== undefined) {
    const smtp = [primary, ...(failover === undefined ? [] : [failover])].map((s) => smtpProvider(s, from, timeout));
    closers.push(() => smtp.forEach((p) => p.close()));
    byChannel.email = providerDriver(guard(smtp[0]), smtp[1] === undefined ? undefined : guard(smtp[1]), (_d, r) => r.email ?? undefined) as ChannelDriver;
  }

  const push: Partial<Record<PushTarget["kind"], GuardedProvider<PushTarget[]>>> = {};
  if (config.webPush !== undefined) push.webpush = guard((await import("./channels/webpush")).webPushProvider(config.webPush, timeout));
  if (config.fcm !== undefined) {
    const { fcmProvider, fcmSender } = await import("./channels/fcm");
    const sender = fcmSender(config.fcm);
    closers.push(() => sender.close());
    push.fcm = guard(fcmProvider(sender));
  }
  const pushKinds = Object.keys(push) as PushTarget["kind"][];
  if (pushKinds.length > 0) byChannel.push = pushDriver(io.pool, push) as ChannelDriver;

  if (config.sms !== undefined) {
    const sns = (await import("./channels/sms")).snsProvider(config.sms, timeout);
    closers.push(() => sns.close());
    byChannel.sms = providerDriver(guard(sns), undefined, (_d, r) => r.phone ?? undefined) as ChannelDriver;
  }

  let inApp: Drivers["inApp"];
  if (config.inAppTicketSecret !== undefined && io.redis !== undefined) {
    const channel = inAppChannel(io.topicPrefix);
    const subscriber = io.redis.duplicate();
    const hub = new InAppHub(subscriber, channel, io.logger);
    await hub.start();
    closers.push(async () => {
      await hub.stop();
      await subscriber.quit();
    });
    inApp = { hub, tickets: inboxTickets(config.inAppTicketSecret) };
    byChannel.in_app = providerDriver(guard(inAppProvider(io.redis, channel)), undefined, (d) => ({ gameId: d.gameId, playerId: d.playerId })) as ChannelDriver;
  }

  return {
    byChannel,
    channels: Object.keys(byChannel) as Channel[],
    pushKinds,
    inApp,
    close: async () => {
      for (const b of breakers) b.shutdown();
      for (const c of closers) await c();
    },
  };
}
