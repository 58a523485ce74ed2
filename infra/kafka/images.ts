import { IMAGE_PINS, MAVEN_PINS, strimziKafkaImage, type ImagePin } from "../config/pins";
import type { QuayImage } from "./image-cache";

const quay = (p: ImagePin): QuayImage => {
  if (p.registry !== "quay.io") throw new Error(`${p.repository} is not a quay.io image; the pull-through cache serves quay.io only`);
  return { path: p.repository, tag: p.tag };
};

/** Strimzi's Kafka image for the pinned operator: the Kafka CLI of the MSK admin job. */
export function kafkaCliImage(kafkaVersion: string): QuayImage {
  return quay(strimziKafkaImage(kafkaVersion));
}

/** Apicurio Registry 3 (one image for every storage kind). */
export const APICURIO_IMAGE: QuayImage = quay(IMAGE_PINS.apicurioRegistry);

/** Debezium PostgreSQL connector plugin, built into the Connect image from Maven Central. */
export const DEBEZIUM_POSTGRES = MAVEN_PINS.debeziumPostgres;
