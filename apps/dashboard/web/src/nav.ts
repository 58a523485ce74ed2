// The pages and who may see them: the analytics API's own rules (metrics: analyst or admin; players:
// support or admin), so the navigation never offers a page whose data would be refused.
import type { Role } from "./auth";

export type PageId = "overview" | "retention" | "funnels" | "errors" | "players" | "operations";

export interface Page {
  readonly id: PageId;
  readonly path: string;
  readonly title: string;
  readonly roles: readonly Role[];
}

const METRICS: readonly Role[] = ["analyst", "admin"];

export const PAGES: readonly Page[] = [
  { id: "overview", path: "", title: "Overview", roles: METRICS },
  { id: "retention", path: "/retention", title: "Retention", roles: METRICS },
  { id: "funnels", path: "/funnels", title: "Funnels & economy", roles: METRICS },
  { id: "errors", path: "/errors", title: "Errors", roles: METRICS },
  { id: "players", path: "/players", title: "Player lookup", roles: ["support", "admin"] },
  // The audit log is platform-wide: the users service also wants the admin to hold every game.
  { id: "operations", path: "/operations", title: "Operations", roles: ["admin"] },
];

export const visiblePages = (roles: readonly Role[]): Page[] => PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));

/** The page at a path under the base, if the roles allow it. */
export function pageAt(rest: string, roles: readonly Role[]): Page | undefined {
  const path = rest.replace(/\/+$/, "");
  return visiblePages(roles).find((p) => p.path === path);
}
