// Who may do what on the users API (pure): the roles each action needs. Game-scoped actions also
// need the token to grant the game (apps/shared/auth authorize).
import type { Role } from "../shared/auth";

export const NEEDS = {
  manageStaff: ["admin"],
  manageClients: ["admin"],
  /** Game servers write their players' profiles; support staff correct them. */
  writeProfile: ["service", "support", "admin"],
  readProfile: ["service", "support", "admin"],
  /** A game server may forward its player's request; support staff and admins act on tickets. Analysts may not. */
  gdpr: ["service", "support", "admin"],
} as const satisfies Record<string, readonly Role[]>;
