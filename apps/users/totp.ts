// Optional TOTP second factor for staff (RFC 6238: SHA-1, 6 digits, 30 s; what authenticator apps use).
import { Secret, TOTP } from "otpauth";

const totpFor = (secret: string, label = "staff"): TOTP => new TOTP({ issuer: "GameMetrics", label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, email: string): string {
  return totpFor(secret, email).toString();
}

/** Accepts the current code and one step either side (clock drift). */
export function checkTotp(secret: string, code: string): boolean {
  return /^\d{6}$/.test(code) && totpFor(secret).validate({ token: code, window: 1 }) !== null;
}

export function currentTotp(secret: string): string {
  return totpFor(secret).generate();
}
