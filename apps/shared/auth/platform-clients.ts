// The OAuth clients of the platform's own parts, by the ids the users service registers them under on
// start-up (apps/users/platform-clients.ts), so a deploy needs no manual client registration.

/** The analytics API's confidential client: it calls the recommendations service with client-credentials tokens. */
export const ANALYTICS_CLIENT_ID = "gamemetrics-analytics";

/** The dashboard's public client (authorization code + PKCE), with the redirect URIs of USERS_DASHBOARD_REDIRECT_URIS. */
export const DASHBOARD_CLIENT_ID = "gamemetrics-dashboard";
