// The operators' status: consumer lag per group and topic, and the ingestion error ratio. Each part
// answers on its own: Kafka away leaves the error ratio shown, and the other way round.
import { consumerLag, describeKafkaError, type GroupLag, type KafkaOptions } from "../../shared/kafka";
import type { ErrorRatio } from "./counters";
import type { ErrorRatioSource } from "./error-ratio";

export type Part<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string };

export interface OpsStatus {
  readonly at: string;
  readonly lag: Part<{ readonly groups: readonly GroupLag[] }>;
  /** `value` null: nothing to compute yet, and `why` says what is missing. */
  readonly errorRatio: Part<{ readonly source: ErrorRatio["source"] | "none"; readonly value: ErrorRatio | null; readonly why?: string }>;
}

const failed = (err: unknown): { ok: false; error: string } => ({ ok: false, error: describeKafkaError(err) });

export function statusReader(kafka: KafkaOptions, groups: readonly string[], ratio: ErrorRatioSource | undefined): () => Promise<OpsStatus> {
  const lag = async (): Promise<OpsStatus["lag"]> => (groups.length === 0 ? { ok: true, groups: [] } : { ok: true, groups: await consumerLag(kafka, groups) });
  const errorRatio = async (): Promise<OpsStatus["errorRatio"]> => {
    if (ratio === undefined) return { ok: true, source: "none", value: null, why: "no source configured (OPS_PROMETHEUS_URL or OPS_INGESTION_METRICS_URLS)" };
    const value = await ratio.read();
    if (value === null) return { ok: true, source: ratio.kind, value: null, why: "not enough samples yet: the ingestion metrics are scraped again shortly" };
    return { ok: true, source: ratio.kind, value, ...(value.ratio === null ? { why: "no events received in the window" } : {}) };
  };
  return async () => {
    const [l, e] = await Promise.all([lag().catch(failed), errorRatio().catch(failed)]);
    return { at: new Date().toISOString(), lag: l, errorRatio: e };
  };
}
