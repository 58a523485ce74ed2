// Security headers of every page and asset: no inline script or style, data only from this origin
// (its /dashboard/graphql, HTTP and WebSocket) and the issuer's token endpoint, never framed.

/** Pure: the headers for a dashboard served with this issuer. */
export function securityHeaders(issuer: string): Record<string, string> {
  const issuerOrigin = new URL(issuer).origin;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${issuerOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",
  };
}
