// Two projects: infra/policy/layout tests run the Pulumi program under mocks (no services);
// app tests talk to real Kafka, PostgreSQL and Redis.
const transform = { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] };
const common = {
  transform,
  testEnvironment: "node",
  testEnvironmentOptions: { globalsCleanup: "off" },
  moduleFileExtensions: ["ts", "js", "json"],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: "infra",
      testMatch: ["<rootDir>/tests/infra/**/*.test.ts", "<rootDir>/tests/policies/**/*.test.ts", "<rootDir>/tests/layout/**/*.test.ts"],
    },
    {
      ...common,
      displayName: "apps",
      testMatch: ["<rootDir>/tests/apps/**/*.test.ts", "<rootDir>/tests/e2e/**/*.test.ts"],
      // Ensures Kafka (own test broker), PostgreSQL and Redis are up; fails loudly naming what is missing.
      globalSetup: "<rootDir>/tests/apps/support/global-setup.ts",
      globalTeardown: "<rootDir>/tests/apps/support/global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/tests/apps/support/timeout.ts"],
    },
  ],
};
