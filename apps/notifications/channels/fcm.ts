// Mobile push through Firebase Cloud Messaging with firebase-admin's sendEachForMulticast: one call
// for all of a player's registration tokens; tokens FCM says are unregistered or invalid are gone.
import { cert, deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getMessaging, type BatchResponse, type MulticastMessage } from "firebase-admin/messaging";
import type { FcmSettings } from "../config";
import type { PushTarget } from "../model";
import { DeliveryError, type Message, type Provider, type SendReceipt } from "./types";
import { summarise, type TargetResult } from "./webpush";

/** What the provider needs of firebase-admin's Messaging (a test can hand it an app with its own transport). */
export interface MulticastSender {
  sendEachForMulticast(message: MulticastMessage): Promise<BatchResponse>;
}

const GONE = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token", "messaging/mismatched-credential"]);
const TRANSIENT = new Set([
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/quota-exceeded",
  "messaging/server-unavailable",
  "messaging/internal-error",
  "messaging/unknown-error",
  "messaging/third-party-auth-error",
  "app/network-error",
  "app/network-timeout",
]);

/** FCM error codes as outcomes: a gone token is permanent for it, throttling and outages are transient. */
export function classifyFcmError(err: { code?: string; message: string }): DeliveryError & { gone: boolean } {
  const code = err.code ?? "unknown";
  const reason = `fcm_${code.replace(/^(messaging|app)\//, "").replace(/-/g, "_")}`;
  const gone = GONE.has(code);
  return Object.assign(new DeliveryError(gone || !TRANSIENT.has(code) ? "permanent" : "transient", reason, err.message.slice(0, 300)), { gone });
}

export function fcmMessage(m: Message, tokens: string[]): MulticastMessage {
  return {
    tokens,
    notification: { title: m.content.subject, body: m.content.text },
    data: { notification_id: m.notificationId },
    android: { priority: m.category === "critical" ? "high" : "normal" },
    apns: { headers: { "apns-priority": m.category === "critical" ? "10" : "5" } },
  };
}

export function fcmProvider(sender: MulticastSender): Provider<PushTarget[]> {
  return {
    name: "fcm",
    send: async (m, targets): Promise<SendReceipt> => {
      let batch: BatchResponse;
      try {
        batch = await sender.sendEachForMulticast(fcmMessage(m, targets.map((t) => t.endpoint)));
      } catch (err) {
        const e = classifyFcmError(err as { code?: string; message: string });
        // A failure of the whole call (credentials, network) is the provider's, never the tokens'.
        throw new DeliveryError(e.kind === "permanent" && !e.gone ? "permanent" : "transient", e.reason, e.message);
      }
      const results: TargetResult[] = batch.responses.map((r) =>
        r.success ? { ok: true, ref: r.messageId } : { ok: false, error: classifyFcmError(r.error ?? { message: "no error given" }) },
      );
      return summarise("fcm", targets, results);
    },
  };
}

/** firebase-admin's Messaging for the configured service account, in an app of its own. */
export function fcmSender(s: FcmSettings): MulticastSender & { close(): Promise<void> } {
  const app: App = initializeApp({ credential: cert({ projectId: s.projectId, clientEmail: s.clientEmail, privateKey: s.privateKey }), projectId: s.projectId }, `gamemetrics-notifications-${process.pid}`);
  const messaging = getMessaging(app);
  return { sendEachForMulticast: (msg) => messaging.sendEachForMulticast(msg), close: () => deleteApp(app) };
}
