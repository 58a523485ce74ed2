// The driver for channels with one address per player (email, SMS, in-app): a primary provider and,
// for critical notifications while the primary's breaker is open, an optional failover provider.
import type { AttemptResult } from "../backoff";
import type { GuardedProvider } from "../breaker";
import type { ClaimedDelivery, Recipient } from "../model";
import { failure, type ChannelDriver } from "./types";

export function providerDriver<A>(
  primary: GuardedProvider<A>,
  failover: GuardedProvider<A> | undefined,
  address: (d: ClaimedDelivery, r: Recipient) => A | undefined,
): ChannelDriver<A> {
  const byName = new Map([primary, ...(failover === undefined ? [] : [failover])].map((p) => [p.name, p]));
  return {
    address: async (d, r) => address(d, r),
    pick: (critical) => {
      if (primary.available) return primary.name;
      return critical && failover?.available === true ? failover.name : undefined;
    },
    send: async (provider, message, to): Promise<AttemptResult> => {
      try {
        const r = await (byName.get(provider) ?? primary).send(message, to);
        return { ok: true, provider, ref: r.ref, response: r.response };
      } catch (err) {
        return failure(provider, err);
      }
    },
  };
}
