// The push channel: every Web Push subscription and FCM token of the player, each kind through its
// own provider and breaker. Delivered when any device took it; gone targets are removed on the way.
import type { Pool } from "pg";
import type { AttemptResult } from "../backoff";
import type { GuardedProvider } from "../breaker";
import type { PushTarget } from "../model";
import { pushTargets, removePushTargets } from "../recipients";
import { failure, type ChannelDriver, type SendReceipt } from "./types";

type Kind = PushTarget["kind"];

export function pushDriver(pool: Pool, providers: Partial<Record<Kind, GuardedProvider<PushTarget[]>>>): ChannelDriver<PushTarget[]> {
  const kinds = (targets: readonly PushTarget[]): Kind[] => [...new Set(targets.map((t) => t.kind))].filter((k) => providers[k] !== undefined);
  return {
    address: async (d) => {
      const targets = (await pushTargets(pool, d.gameId, d.playerId)).filter((t) => providers[t.kind] !== undefined);
      return targets.length === 0 ? undefined : targets;
    },
    pick: (_critical, targets) => {
      const open = kinds(targets).filter((k) => providers[k]?.available === true);
      return open.length === 0 ? undefined : open.join("+");
    },
    send: async (provider, message, targets): Promise<AttemptResult> => {
      const used = provider.split("+") as Kind[];
      const outcomes = await Promise.all(
        used.map(async (k): Promise<{ kind: Kind; receipt?: SendReceipt; error?: AttemptResult }> => {
          try {
            return { kind: k, receipt: await (providers[k] as GuardedProvider<PushTarget[]>).send(message, targets.filter((t) => t.kind === k)) };
          } catch (err) {
            return { kind: k, error: failure(k, err) };
          }
        }),
      );
      await removePushTargets(pool, outcomes.flatMap((o) => o.receipt?.gone ?? []));
      const response = outcomes.map((o) => o.receipt?.response ?? (o.error !== undefined && !o.error.ok ? `${o.kind}: ${o.error.detail}` : "")).join("; ");
      const delivered = outcomes.find((o) => o.receipt !== undefined && o.receipt.refused === undefined);
      if (delivered !== undefined) return { ok: true, provider, ref: delivered.receipt?.ref, response };
      const failed = outcomes.flatMap((o) => {
        if (o.error !== undefined && !o.error.ok) return [{ kind: o.error.kind, reason: o.error.reason, retryAfterMs: o.error.retryAfterMs }];
        const r = o.receipt?.refused;
        return r === undefined ? [] : [{ kind: r.kind, reason: r.reason, retryAfterMs: undefined }];
      });
      // One device that may take it later is reason enough to try again.
      const worst = failed.find((f) => f.kind === "transient") ?? failed[0] ?? { kind: "permanent" as const, reason: "no_target", retryAfterMs: undefined };
      return { ok: false, provider, kind: worst.kind, reason: worst.reason, detail: response, retryAfterMs: worst.retryAfterMs };
    },
  };
}
