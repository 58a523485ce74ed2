export { ALL_GAMES, AuthError, authorize, bearerToken, CLAIMS, hasRole, mayAccessGame, principalFromClaims, ROLES, type Principal, type Role } from "./claims";
export { DEFAULT_AUDIENCE, loadAuthConfig } from "./config";
export { createTokenVerifier, type TokenVerifier, type VerifierOptions } from "./verifier";
