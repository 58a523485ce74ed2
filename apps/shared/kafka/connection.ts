// How every client of the platform reaches Kafka: its contract is SCRAM-SHA-512 over TLS, trusting the
// cluster CA when one is given (Strimzi's, or the local broker's) and the system store otherwise (MSK).
import type { BaseOptions } from "@platformatic/kafka";
import { readFileSync } from "node:fs";
import type { KafkaSecurity } from "../config";
import type { KafkaOptions } from "./types";

/** TLS and SASL options for the platform's contract, or nothing for plaintext. */
export function connectionSecurity(security: KafkaSecurity | undefined): Pick<BaseOptions, "tls" | "sasl"> {
  if (security === undefined || security.protocol === "PLAINTEXT") return {};
  return {
    tls: security.caFile === undefined ? {} : { ca: readFileSync(security.caFile, "utf8") },
    sasl: { mechanism: "SCRAM-SHA-512", username: security.username, password: security.password },
  };
}

/** Options every client shares: where the brokers are, how to authenticate, how long to wait and retry. */
export function baseOptions(o: KafkaOptions): BaseOptions {
  return {
    clientId: o.clientId,
    bootstrapBrokers: o.brokers,
    ...connectionSecurity(o.security),
    connectTimeout: 3000,
    timeout: 10_000,
    retries: o.retries ?? 5,
    // 200 ms, doubling, at most 2 s between attempts: "broker down" answers stay prompt.
    retryDelay: (_client, _op, attempt) => Math.min(2000, 200 * 2 ** (attempt - 1)),
    metadataMaxAge: 30_000,
    autocreateTopics: false,
  };
}
