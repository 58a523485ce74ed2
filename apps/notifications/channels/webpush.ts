// Web Push (RFC 8030) with VAPID (RFC 8292) through the web-push library: the payload is encrypted
// for each subscription (RFC 8291), and subscriptions the push service answers 404/410 for are gone.
import webpush from "web-push";
import type { WebPushSettings } from "../config";
import type { PushTarget } from "../model";
import { DeliveryError, httpFailureKind, retryAfterMs, type Message, type Provider, type SendReceipt } from "./types";

interface PushServiceError {
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  message: string;
  code?: string;
}

/** A push service's refusal: 404/410 the subscription is gone, 429/5xx later, other 4xx never. */
export function classifyWebPushError(err: PushServiceError): DeliveryError & { gone: boolean } {
  const status = err.statusCode;
  if (status === undefined || status === 0) {
    return Object.assign(new DeliveryError("transient", err.code === "ECONNREFUSED" ? "connection_refused" : "network_error", err.message), { gone: false });
  }
  const detail = `${status} ${(err.body ?? "").slice(0, 300)}`.trim();
  const gone = status === 404 || status === 410;
  return Object.assign(new DeliveryError(gone ? "permanent" : httpFailureKind(status), `http_${status}`, detail, retryAfterMs(err.headers?.["retry-after"])), { gone });
}

/** The payload a service worker receives: small, the notification's id for the click-through. */
export function webPushPayload(m: Message): string {
  return JSON.stringify({ title: m.content.subject, body: m.content.text, notification_id: m.notificationId });
}

/** Sends to each Web Push subscription of the player; throws only when none took it and one may later. */
export function webPushProvider(s: WebPushSettings, timeoutMs: number): Provider<PushTarget[]> {
  const vapidDetails = { subject: s.subject, publicKey: s.publicKey, privateKey: s.privateKey };
  return {
    name: "webpush",
    send: async (m, targets): Promise<SendReceipt> => {
      const results = await Promise.allSettled(
        targets.map((t) =>
          webpush.sendNotification({ endpoint: t.endpoint, keys: { p256dh: t.p256dh ?? "", auth: t.auth ?? "" } }, webPushPayload(m), {
            vapidDetails,
            TTL: 24 * 3600,
            timeout: timeoutMs,
            urgency: m.category === "critical" ? "high" : "normal",
          }),
        ),
      );
      return summarise("webpush", targets, results.map((r) => (r.status === "fulfilled" ? { ok: true, ref: r.value.headers?.location } : { ok: false, error: classifyWebPushError(r.reason as PushServiceError) })));
    },
  };
}

export type TargetResult = { ok: true; ref?: string } | { ok: false; error: DeliveryError & { gone: boolean } };

/**
 * One receipt for many targets: delivered when any took it; refused when all refused for good;
 * otherwise thrown as transient, so the breaker counts it and the delivery is retried.
 */
export function summarise(provider: string, targets: readonly PushTarget[], results: readonly TargetResult[]): SendReceipt {
  const gone = targets.filter((_, i) => { const r = results[i]; return !r.ok && r.error.gone; }).map((t) => t.targetId);
  const failures = results.flatMap((r) => (r.ok ? [] : [r.error]));
  const delivered = results.filter((r) => r.ok).length;
  const response = `${provider}: ${delivered}/${targets.length} delivered${failures.length > 0 ? `; ${failures.map((f) => f.reason).join(", ")}` : ""}`;
  if (delivered > 0) return { ref: results.flatMap((r) => (r.ok && r.ref !== undefined ? [r.ref] : []))[0], response, gone };
  const transient = failures.find((f) => f.kind === "transient");
  if (transient !== undefined) throw new DeliveryError("transient", transient.reason, response, transient.retryAfterMs);
  return { response, gone, refused: new DeliveryError("permanent", failures[0]?.reason ?? "no_target", response) };
}
