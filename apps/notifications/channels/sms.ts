// SMS through Amazon SNS (AWS End User Messaging) with @aws-sdk/client-sns. The SDK's own retries are
// off (maxAttempts 1): this service's backoff and DLQ decide, so an attempt is one request.
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { SmsSettings } from "../config";
import { DeliveryError, httpFailureKind, type Provider } from "./types";

interface AwsError {
  name?: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const THROTTLED = /thrott/i;

/** SNS answers as outcomes: throttling and 5xx retry, other 4xx (invalid number, opted out) stop; no answer retries. */
export function classifySnsError(err: AwsError): DeliveryError {
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? "Error";
  if (status === undefined) return new DeliveryError("transient", "network_error", err.message.slice(0, 300));
  const kind = THROTTLED.test(name) || err.$retryable !== undefined ? "transient" : httpFailureKind(status);
  return new DeliveryError(kind, `sns_${name.replace(/Exception$/, "").toLowerCase()}`, `${status} ${name}: ${err.message}`.slice(0, 300));
}

export function snsProvider(s: SmsSettings, timeoutMs: number): Provider<string> & { close(): void } {
  const client = new SNSClient({
    region: s.region,
    endpoint: s.endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: Math.min(timeoutMs, 5000) },
  });
  return {
    name: "sns",
    send: async (m, phone) => {
      const attributes: Record<string, { DataType: string; StringValue: string }> = {
        "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: m.category === "marketing" ? "Promotional" : "Transactional" },
      };
      if (s.senderId !== undefined) attributes["AWS.SNS.SMS.SenderID"] = { DataType: "String", StringValue: s.senderId };
      try {
        const out = await client.send(new PublishCommand({ PhoneNumber: phone, Message: m.content.text, MessageAttributes: attributes }));
        return { ref: out.MessageId, response: `published ${out.MessageId ?? ""}`.trim() };
      } catch (err) {
        throw classifySnsError(err as AwsError);
      }
    },
    close: () => client.destroy(),
  };
}
