// The dashboard's queries, persisted: a client sends {"persisted": true, "query": "<sha256 of the text>",
// "variables": {...}} and the server runs the text it holds, so the dashboard ships hashes, not
// queries, and its requests stay small and cacheable. Any other query is still accepted (studios'
// own tools), under the same depth and cost limits.
import { createHash } from "node:crypto";
import { DASHBOARD_QUERIES } from "../shared/dashboard-queries";

export { DASHBOARD_QUERIES, type DashboardQuery } from "../shared/dashboard-queries";

export const persistedHash = (query: string): string => createHash("sha256").update(query).digest("hex");

export const PERSISTED_QUERIES: Record<string, string> = Object.fromEntries(Object.values(DASHBOARD_QUERIES).map((q) => [persistedHash(q), q]));
