/** Environment variables through which global-setup hands the services to the tests. */
export const TEST_ENV = {
  databaseUrl: "GM_TEST_DATABASE_URL",
  redisUrl: "GM_TEST_REDIS_URL",
  kafka: "GM_TEST_KAFKA_BROKERS",
  kafkaDir: "GM_TEST_KAFKA_DIR",
  s3Endpoint: "GM_TEST_S3_ENDPOINT",
} as const;

/** The archives bucket of every app test run (test files use their own prefixes in it). */
export const TEST_ARCHIVES_BUCKET = "gamemetrics-archives-test";

export function testEnv(key: keyof typeof TEST_ENV): string {
  const v = process.env[TEST_ENV[key]];
  if (v === undefined) throw new Error(`${TEST_ENV[key]} is not set: run the apps tests through jest (its global setup starts the services)`);
  return v;
}
