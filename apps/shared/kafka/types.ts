// The records and options services see: plain data, no client library types.
import type { KafkaSecurity } from "../config";
import type { Logger } from "../logger";

export interface Topics {
  raw: string;
  processed: string;
  dlq: string;
}

export function topicNames(prefix: string): Topics {
  return { raw: `${prefix}player.events.raw`, processed: `${prefix}player.events.processed`, dlq: `${prefix}system.dlq` };
}

/** Partition counts for a single local broker (the production catalog lives in infra/kafka). */
export const LOCAL_PARTITIONS: Record<keyof Topics, number> = { raw: 2, processed: 2, dlq: 1 };

export interface OutRecord {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface InRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Plaintext when absent (no broker of the platform listens in plaintext). */
  security?: KafkaSecurity;
  /** Retries of one request before it fails; keeps "broker down" answers prompt. */
  retries?: number;
}
