// The dashboard's GraphQL operations: the contract between apps/dashboard's browser app (which sends
// their SHA-256 as persisted queries) and the analytics API (which runs the text it holds for a hash).
// Plain strings with no Node import, so the browser bundle reads this very file.
export const DASHBOARD_QUERIES = {
  overview: `query Overview($game: ID!, $range: DateRange!) {
  game(id: $game) {
    activePlayers(range: $range) { bucket dau newPlayers returningPlayers }
    activeWindows(range: $range) { day wau mau stickiness }
    revenue(range: $range) { bucket currency grossMinor payingPlayers arpdauMinor arppuMinor conversion }
    sessionLengths(range: $range) { sessions avgLengthS medianLengthS }
  }
}`,
  trends: `query Trends($game: ID!, $range: DateRange!, $granularity: Granularity!, $filter: DimensionFilter) {
  game(id: $game) {
    activePlayers(range: $range, granularity: $granularity, filter: $filter) { bucket dau newPlayers }
    revenue(range: $range, granularity: $granularity, filter: $filter) { bucket currency grossMinor }
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
  errors: `query Errors($game: ID!, $range: DateRange!) {
  game(id: $game) { errors(range: $range) { severity events } }
}`,
  // Two queries: graphql-armor multiplies a literal `first` into the cost, so the timeline takes the API default page (50) and the summary goes apart, each well under the limit (500).
  playerSummary: `query PlayerSummary($game: ID!, $player: ID!) {
  game(id: $game) {
    player(id: $player) { id summary { firstDay lastDay activeDays sessions playtimeS events revenue { currency amountMinor } } }
  }
}`,
  playerTimeline: `query PlayerTimeline($game: ID!, $player: ID!, $after: String) {
  game(id: $game) { player(id: $player) { timeline(after: $after) { events { eventId type time platform payload } nextCursor } } }
}`,
  // Apart from the summary and the timeline: when the recommendations service fails, only this panel shows it.
  playerRecommendations: `query PlayerRecommendations($game: ID!, $player: ID!) {
  game(id: $game) {
    player(id: $player) {
      items: recommendations(kind: ITEMS, limit: 10) { modelVersion generatedAt items { id score source } }
      levels: recommendations(kind: LEVELS, limit: 5) { items { id score source } }
    }
  }
}`,
} as const;

export type DashboardQuery = keyof typeof DASHBOARD_QUERIES;

/** The live tiles' subscription (graphql-ws sends the text; subscriptions are not persisted). */
export const LIVE_COUNTERS = `subscription Live($game: ID!) {
  liveCounters(gameId: $game) { at eventsPerMinute { type count } concurrentPlayers revenueToday { currency amountMinor } }
}`;
