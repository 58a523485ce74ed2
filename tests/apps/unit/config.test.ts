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
