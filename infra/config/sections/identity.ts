import { int, section, text } from "../fields";

/** The users service: the platform's OIDC issuer and GDPR job (apps/users). */
export interface IdentityProfile {
  /**
   * The issuer URL as browsers and APIs see it: the public edge's HTTPS name plus /oauth
   * (the Ingress sends /oauth and /.well-known to the users service). "" uses the in-cluster URL,
   * which serves the APIs' token checks and client credentials but no browser login.
   */
  issuerUrl: string;
  /**
   * The signing key generation that signs. Pulumi keeps generations N-1, N and N+1 in Secrets
   * Manager; all three are published in the JWKS. Rotate by raising it by one: N+1 was published
   * since the last bump, so no verifier meets an unknown key, and N's tokens verify until they expire.
   */
  signingKeyGeneration: number;
  /** Lifetime of access tokens; a key stays published at least one generation, far longer. */
  accessTokenTtlSeconds: number;
  /** Days a GDPR export or erasure may take (GDPR Art. 12(3): one month). */
  gdprSlaDays: number;
}

export const identity = section<IdentityProfile>({
  fields: {
    issuerUrl: text(/^$|^https?:\/\/[a-z0-9.-]+(:\d+)?\/oauth$/, 'an http(s) URL ending in /oauth (e.g. "https://api.example.com/oauth"), or "" for the in-cluster URL'),
    signingKeyGeneration: int(1, 1_000_000),
    accessTokenTtlSeconds: int(60, 86_400),
    gdprSlaDays: int(1, 30),
  },
  free: { issuerUrl: "", signingKeyGeneration: 1, accessTokenTtlSeconds: 3600, gdprSlaDays: 30 },
  production: { issuerUrl: "", signingKeyGeneration: 1, accessTokenTtlSeconds: 900, gdprSlaDays: 30 },
});
