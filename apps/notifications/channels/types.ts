// What every channel's providers share: the message they send and how they fail.
import type { AttemptResult } from "../backoff";
import type { Category, ClaimedDelivery, ContentParts, Recipient } from "../model";

/** A rendered notification on its way to one provider. */
export interface Message {
  deliveryId: string;
  notificationId: string;
  gameId: string;
  playerId: string;
  category: Category;
  content: ContentParts;
}

/** A provider's refusal, classified: transient (retry later) or permanent (stop now). */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "transient" | "permanent",
    readonly reason: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What a provider answered for a message it took (or, for push, refused for every target). */
export interface SendReceipt {
  ref?: string;
  response: string;
  /** Push: targets the push service says are gone (unsubscribed, uninstalled), to be removed. */
  gone?: string[];
  /** Push: every target refused the message for good; the provider itself is healthy. */
  refused?: DeliveryError;
}

/** One way out for one channel (an SMTP server, the Web Push protocol, FCM, SNS, Redis). */
export interface Provider<A> {
  readonly name: string;
  /** Resolves with the provider's answer; throws DeliveryError when it did not take the message. */
  send(message: Message, address: A): Promise<SendReceipt>;
}

/**
 * A channel as the dispatcher sees it: where this player is reached, which provider would take the
 * message now (none while every usable breaker is open), and the send itself.
 */
export interface ChannelDriver<A = unknown> {
  /** The player's address on this channel, or undefined when they have none. */
  address(d: ClaimedDelivery, recipient: Recipient): Promise<A | undefined>;
  /** The provider that would take the message now, or undefined while none can. */
  pick(critical: boolean, address: A): string | undefined;
  send(provider: string, message: Message, address: A): Promise<AttemptResult>;
}

/** Any thrown value as an attempt result; unknown errors count as transient (the safe guess: retry, then DLQ). */
export function failure(provider: string, err: unknown): AttemptResult {
  if (err instanceof DeliveryError) return { ok: false, kind: err.kind, provider, reason: err.reason, detail: err.message, retryAfterMs: err.retryAfterMs };
  const e = err as { code?: string; message?: string };
  if (e.code === "EOPENBREAKER") return { ok: false, kind: "transient", provider, reason: "breaker_open", detail: "the provider's circuit breaker is open" };
  return { ok: false, kind: "transient", provider, reason: "unexpected_error", detail: e.message ?? String(err) };
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined | null, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null || v.trim() === "") return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** HTTP status classes as the providers' APIs use them: 408/429/5xx retry, other 4xx stop. */
export function httpFailureKind(status: number): "transient" | "permanent" {
  return status === 408 || status === 429 || status >= 500 ? "transient" : "permanent";
}
