// Two projects: infra/policy/layout tests run the Pulumi program under mocks (no services);
// app tests talk to real Kafka, PostgreSQL and Redis.
const swc = (syntax) => ["@swc/jest", { jsc: { parser: { syntax }, target: "es2022" }, module: { type: "commonjs" } }];
// ESM-only packages: jest's module registry cannot require() them, so swc compiles them to CommonJS too.
const ESM_PACKAGES = ["jose", "hyparquet", "uuid"];
const transform = { "^.+\\.ts$": swc("typescript"), "^.+\\.m?js$": swc("ecmascript") };
const common = {
  transform,
  // Checked at the innermost node_modules, so nested copies (thrift's own uuid) are compiled too.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join("|")})/)(?!.*/node_modules/)`],
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
