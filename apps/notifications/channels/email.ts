// Email over SMTP with nodemailer (SES SMTP in production): pooled connections, STARTTLS required
// unless told otherwise, and a stable Message-ID per delivery, so a resend after a crash between the
// server's 250 and our bookkeeping is recognisable as the same message by the receiving side.
import { createTransport } from "nodemailer";
import type { SmtpSettings } from "../config";
import { DeliveryError, type Message, type Provider } from "./types";

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message: string;
}

/**
 * SMTP answers as delivery outcomes: 4xx is "try again later" (RFC 5321 §4.2.1), 5xx is a refusal,
 * except 535 (authentication), which is our credentials and not the recipient, so it counts against
 * the server and is retried. No reply at all (refused, reset, timed out, TLS) is transient.
 */
export function classifySmtpError(err: SmtpError): DeliveryError {
  const detail = (err.response ?? err.message).slice(0, 500);
  const code = err.responseCode;
  if (code !== undefined && code >= 400 && code < 500) return new DeliveryError("transient", `smtp_${code}`, detail);
  if (code !== undefined && code >= 500) {
    return err.code === "EAUTH" ? new DeliveryError("transient", "smtp_auth", detail) : new DeliveryError("permanent", `smtp_${code}`, detail);
  }
  if (err.code === "EENVELOPE") return new DeliveryError("permanent", "invalid_address", detail);
  const refused = /ECONNREFUSED/.test(err.message);
  return new DeliveryError("transient", refused ? "connection_refused" : `smtp_${(err.code ?? "error").toLowerCase()}`, detail);
}

/** `<delivery-id@sender-domain>`: the same for every attempt of one delivery. */
export function messageId(deliveryId: string, from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? "gamemetrics.invalid";
  return `<${deliveryId}@${domain}>`;
}

export function smtpProvider(s: SmtpSettings, from: string, timeoutMs: number): Provider<string> & { close(): void } {
  const transport = createTransport({
    pool: true,
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: !s.secure && s.requireTls,
    ignoreTLS: !s.secure && !s.requireTls,
    auth: s.user === undefined ? undefined : { user: s.user, pass: s.password ?? "" },
    maxConnections: s.maxConnections,
    maxMessages: 1000,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { minVersion: "TLSv1.2" },
  });
  return {
    name: `smtp-${s.name}`,
    send: async (m: Message, to: string) => {
      try {
        const info = await transport.sendMail({
          from,
          to,
          subject: m.content.subject,
          text: m.content.text,
          html: m.content.html,
          messageId: messageId(m.deliveryId, from),
          headers: { "X-GameMetrics-Notification": m.notificationId },
        });
        if (info.rejected.length > 0) throw new DeliveryError("permanent", "recipient_rejected", String(info.response));
        return { ref: info.messageId, response: String(info.response) };
      } catch (err) {
        throw err instanceof DeliveryError ? err : classifySmtpError(err as SmtpError);
      }
    },
    close: () => transport.close(),
  };
}
