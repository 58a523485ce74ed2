import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectionSecurity } from "../../../apps/shared/kafka";
import { ConfigError, loadCommonConfig } from "../../../apps/shared/config";
import { loadIngestionConfig, INGESTION_DEFAULTS } from "../../../apps/ingestion/config";
import { loadProcessorConfig, PROCESSOR_DEFAULTS } from "../../../apps/processor/config";

test("defaults apply when nothing is set", () => {
  expect(loadIngestionConfig({})).toMatchObject({ port: INGESTION_DEFAULTS.port, kafkaBrokers: ["127.0.0.1:9092"], topicPrefix: "" });
  expect(loadProcessorConfig({}).fetchBytesPerPartition).toBe(PROCESSOR_DEFAULTS.fetchBytesPerPartition);
  expect(loadCommonConfig({ KAFKA_BROKERS: "a:1, b:2" }).kafkaBrokers).toEqual(["a:1", "b:2"]);
});

test("a bad value names the key, the value and what is allowed", () => {
  expect(() => loadIngestionConfig({ PORT: "http" })).toThrow(new ConfigError('config PORT="http" is invalid: expected an integer from 0 to 65535'));
  expect(() => loadCommonConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL="loud" is invalid: allowed values are fatal, error, warn, info, debug, trace, silent/);
  expect(() => loadProcessorConfig({ PROCESSOR_SESSION_TIMEOUT_MS: "1000" })).toThrow(/PROCESSOR_SESSION_TIMEOUT_MS="1000" is invalid: expected an integer from 6000 to 300000/);
  expect(() => loadProcessorConfig({ PROCESSOR_FETCH_BYTES_PER_PARTITION: "1kb" })).toThrow(/PROCESSOR_FETCH_BYTES_PER_PARTITION="1kb" is invalid: expected an integer from 16384 to 67108864/);
  expect(() => loadCommonConfig({ KAFKA_BROKERS: " , " })).toThrow(/KAFKA_BROKERS/);
});

describe("Kafka security from the platform's contract", () => {
  const sasl = { KAFKA_SECURITY_PROTOCOL: "SASL_SSL", KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", KAFKA_SASL_USERNAME: "app-ingestion", KAFKA_SASL_PASSWORD: "pw" };

  test("plaintext by default (the local broker), SCRAM over TLS when the contract says so", () => {
    expect(loadCommonConfig({}).kafkaSecurity).toEqual({ protocol: "PLAINTEXT" });
    expect(loadCommonConfig({ ...sasl, KAFKA_CA_FILE: "/etc/ca.crt" }).kafkaSecurity).toEqual({
      protocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      username: "app-ingestion",
      password: "pw",
      caFile: "/etc/ca.crt",
    });
  });

  test("SASL_SSL without a credential names the missing key; unknown protocols and mechanisms are refused", () => {
    expect(() => loadCommonConfig({ ...sasl, KAFKA_SASL_PASSWORD: "" })).toThrow(new ConfigError("config KAFKA_SASL_PASSWORD is missing: required when KAFKA_SECURITY_PROTOCOL is SASL_SSL"));
    expect(() => loadCommonConfig({ KAFKA_SECURITY_PROTOCOL: "SSL" })).toThrow(/KAFKA_SECURITY_PROTOCOL="SSL" is invalid: allowed values are PLAINTEXT, SASL_SSL/);
    expect(() => loadCommonConfig({ ...sasl, KAFKA_SASL_MECHANISM: "PLAIN" })).toThrow(/KAFKA_SASL_MECHANISM="PLAIN" is invalid: allowed values are SCRAM-SHA-512/);
  });

  test("the client gets TLS with the cluster CA and SCRAM-SHA-512, or nothing for plaintext", () => {
    const dir = mkdtempSync(join(tmpdir(), "gm-ca-"));
    const caFile = join(dir, "ca.crt");
    writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    expect(connectionSecurity({ protocol: "PLAINTEXT" })).toEqual({});
    expect(connectionSecurity(undefined)).toEqual({});
    const withCa = connectionSecurity({ protocol: "SASL_SSL", mechanism: "SCRAM-SHA-512", username: "u", password: "p", caFile });
    expect(withCa).toEqual({ tls: { ca: readFileSync(caFile, "utf8") }, sasl: { mechanism: "SCRAM-SHA-512", username: "u", password: "p" } });
    // No CA file (MSK): TLS on, verified against the system trust store.
    expect(connectionSecurity({ protocol: "SASL_SSL", mechanism: "SCRAM-SHA-512", username: "u", password: "p" }).tls).toEqual({});
  });
});

test("Redis: the AUTH token stays out of the URL and cluster mode is a switch", () => {
  expect(loadCommonConfig({}).redis).toEqual({ url: "redis://127.0.0.1:6379", cluster: false });
  expect(loadCommonConfig({ REDIS_URL: "rediss://cfg.example:6379", REDIS_PASSWORD: "a#b", REDIS_CLUSTER: "true" }).redis).toEqual({
    url: "rediss://cfg.example:6379",
    password: "a#b",
    cluster: true,
  });
  expect(() => loadCommonConfig({ REDIS_CLUSTER: "yes" })).toThrow(/REDIS_CLUSTER="yes" is invalid: allowed values are true, false/);
});
