// The users service's pure parts: config errors name key, value and what is allowed; keys; retry
// timing; consent changes; the secrets derived from the service key.
import { loadUsersConfig } from "../../../apps/users/config";
import { dependenciesDone, retryDelayMs } from "../../../apps/users/gdpr/retry";
import { generateSigningKeys, parseSigningKeys } from "../../../apps/users/keys";
import { consentChanges } from "../../../apps/users/profiles";
import { deriveSecrets } from "../../../apps/users/secrets";

const keys = generateSigningKeys(4);
const base = { USERS_SECRET_KEY: "k".repeat(32), USERS_SIGNING_KEYS: keys.doc };

describe("config", () => {
  it("needs the secret key and the signing keys, and says what they are", () => {
    expect(() => loadUsersConfig({ USERS_SIGNING_KEYS: keys.doc })).toThrow("config USERS_SECRET_KEY is missing: required, at least 32 characters");
    expect(() => loadUsersConfig({ ...base, USERS_SECRET_KEY: "short" })).toThrow("config USERS_SECRET_KEY is invalid: 5 characters, at least 32 required");
    expect(() => loadUsersConfig({ USERS_SECRET_KEY: base.USERS_SECRET_KEY })).toThrow("config USERS_SIGNING_KEYS is missing");
  });

  it("refuses an issuer not ending in /oauth, a bad store URL and a key generation the keys do not have", () => {
    expect(() => loadUsersConfig({ ...base, USERS_ISSUER: "https://id.example.com" })).toThrow('config USERS_ISSUER="https://id.example.com" is invalid: expected an http(s) URL ending in /oauth');
    expect(() => loadUsersConfig({ ...base, PLAYER_DATA_URLS: "recommendations:8080" })).toThrow('config PLAYER_DATA_URLS item "recommendations:8080" is invalid: expected <store>=<http(s) base URL>');
    expect(() => loadUsersConfig({ ...base, USERS_SIGNING_KEY_GENERATION: "5" })).toThrow("does not match USERS_SIGNING_KEYS (current generation 4); the keys Secret has not synced yet");
    expect(loadUsersConfig({ ...base, USERS_SIGNING_KEY_GENERATION: "4", PLAYER_DATA_URLS: "recommendations=http://recs:8080" })).toMatchObject({
      issuer: "http://127.0.0.1:8083/oauth",
      playerDataUrls: { recommendations: "http://recs:8080" },
      gdpr: { slaDays: 30 },
    });
  });

  it("registers the dashboard's client only when its redirect URIs are set, and checks each", () => {
    expect(loadUsersConfig(base).dashboardClient).toBeUndefined();
    expect(loadUsersConfig({ ...base, USERS_DASHBOARD_REDIRECT_URIS: "https://api.example.com/dashboard/callback" }).dashboardClient).toEqual({
      clientId: "gamemetrics-dashboard",
      redirectUris: ["https://api.example.com/dashboard/callback"],
    });
    expect(() => loadUsersConfig({ ...base, USERS_DASHBOARD_REDIRECT_URIS: "https://a.example.com/dashboard/callback,api.example.com/cb" })).toThrow(
      'config USERS_DASHBOARD_REDIRECT_URIS item "api.example.com/cb" is invalid: expected an http(s) URL with a path',
    );
  });
});

describe("signing keys", () => {
  it("sign with the current generation, publish its neighbours, and refuse a document without the current key", () => {
    const set = parseSigningKeys(keys.doc);
    expect(set.generation).toBe(4);
    expect(set.jwks.keys.map((k) => String(k.kid).split("-")[1])).toEqual(["4", "3", "5"]);
    expect(set.currentKid).toBe(set.jwks.keys[0].kid);
    expect(() => parseSigningKeys(JSON.stringify({ current: 9, keys: [] }))).toThrow("no key of the current generation 9");
    expect(() => parseSigningKeys("nope")).toThrow("config USERS_SIGNING_KEYS is invalid: expected JSON");
  });
});

describe("GDPR steps", () => {
  it("back off doubling from the poll interval up to the cap", () => {
    expect([1, 2, 3, 4, 30].map((a) => retryDelayMs(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });

  it("run a store only once the stores it follows are done", () => {
    expect(dependenciesDone(["raw_events"], new Set(["player_stats"]))).toBe(false);
    expect(dependenciesDone(["raw_events"], new Set(["raw_events"]))).toBe(true);
    expect(dependenciesDone([], new Set())).toBe(true);
  });
});

describe("consent changes", () => {
  it("record what a patch changes, and every flag a new profile names", () => {
    expect(consentChanges(undefined, { analyticsConsent: true, displayName: "x" })).toEqual([{ purpose: "analytics", granted: true }]);
    expect(consentChanges({ marketingConsent: false, analyticsConsent: true }, { marketingConsent: true, analyticsConsent: true })).toEqual([{ purpose: "marketing", granted: true }]);
    expect(consentChanges({ marketingConsent: true, analyticsConsent: true }, { country: "DE" })).toEqual([]);
  });
});

describe("derived secrets", () => {
  it("give each client a stable secret per version, and seal what only the key opens", () => {
    const a = deriveSecrets("a".repeat(32));
    expect(a.clientSecret("c1", 1)).toBe(deriveSecrets("a".repeat(32)).clientSecret("c1", 1));
    expect(a.clientSecret("c1", 2)).not.toBe(a.clientSecret("c1", 1));
    const sealed = a.seal("JBSWY3DPEHPK3PXP");
    expect(a.unseal(sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => deriveSecrets("b".repeat(32)).unseal(sealed)).toThrow();
  });
});
