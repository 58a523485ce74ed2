// The dashboard's queries, persisted: a client sends {"persisted": true, "query": "<sha256 of the text>",
// "variables": {...}} and the server runs the text it holds, so the dashboard ships hashes, not
// queries, and its requests stay small and cacheable. Any other query is still accepted (studios'
// own tools), under the same depth and cost limits.
import { createHash } from "node:crypto";

export const DASHBOARD_QUERIES = {
  overview: `query Overview($game: ID!, $range: DateRange!) {
  game(id: $game) {
    activePlayers(range: $range) { bucket dau newPlayers returningPlayers }
    activeWindows(range: $range) { day wau mau stickiness }
    revenue(range: $range) { bucket currency grossMinor payingPlayers arpdauMinor arppuMinor conversion }
    sessionLengths(range: $range) { sessions avgLengthS medianLengthS }
  }
}`,
  retention: `query Retention($game: ID!, $cohorts: DateRange!) {
  game(id: $game) { retention(cohorts: $cohorts, days: [1, 7, 30]) { days classic cohorts { day size retained rates } } }
}`,
  platforms: `query Platforms($game: ID!, $range: DateRange!) {
  game(id: $game) { activePlayers(range: $range, granularity: WEEK, breakdown: [PLATFORM]) { bucket group { platform } dau } }
}`,
  funnels: `query Funnels($game: ID!, $range: DateRange!) {
  game(id: $game) {
    progression(range: $range, first: 20) { path starts fails completes completionRate avgAttempts }
    resourceFlows(range: $range) { flow currency itemType amount }
  }
}`,
} as const;

export type DashboardQuery = keyof typeof DASHBOARD_QUERIES;

export const persistedHash = (query: string): string => createHash("sha256").update(query).digest("hex");

export const PERSISTED_QUERIES: Record<string, string> = Object.fromEntries(Object.values(DASHBOARD_QUERIES).map((q) => [persistedHash(q), q]));
