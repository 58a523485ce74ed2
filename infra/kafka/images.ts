import { CHARTS } from "../services/charts";
import type { QuayImage } from "./image-cache";

/** Strimzi's Kafka image for the pinned operator: the Kafka CLI of the MSK admin job. */
export function kafkaCliImage(kafkaVersion: string): QuayImage {
  return { path: "strimzi/kafka", tag: `${CHARTS.strimzi.version}-kafka-${kafkaVersion}` };
}

/** Apicurio Registry 3 (one image for every storage kind). */
export const APICURIO_IMAGE: QuayImage = { path: "apicurio/apicurio-registry", tag: "3.3.3" };

/** Debezium PostgreSQL connector plugin, built into the Connect image from Maven Central. */
export const DEBEZIUM_POSTGRES = { version: "3.2.0.Final" } as const;
