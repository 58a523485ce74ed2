// The analytics API, schema first. Every metric reads rollup tables; times are UTC; money is in minor
// units per currency (never summed across currencies), as Float so amounts past 2^31 stay exact.
export const SCHEMA = /* GraphQL */ `
  "Inclusive range of UTC days, YYYY-MM-DD."
  input DateRange {
    from: String!
    to: String!
  }

  enum Granularity {
    HOUR
    DAY
    WEEK
  }

  "Dimensions a metric can be broken down or filtered by. COUNTRY is refused: events carry no country."
  enum Dimension {
    PLATFORM
    APP_VERSION
    COUNTRY
    IS_PAYING
  }

  input DimensionFilter {
    platform: [String!]
    appVersion: [String!]
    isPaying: Boolean
  }

  "A breakdown group: the dimensions asked for are set, the others null."
  type Group {
    platform: String
    appVersion: String
    isPaying: Boolean
  }

  type ActivePlayersPoint {
    "UTC day, or the Monday of the ISO week."
    bucket: String!
    group: Group!
    "Mean daily active players over the bucket's days (the day's count at DAY granularity)."
    dau: Float!
    newPlayers: Int!
    "Mean daily active players that were not new that day."
    returningPlayers: Float!
    sessionsPerPlayer: Float
  }

  type WindowPoint {
    day: String!
    dau: Int!
    wau: Int!
    mau: Int!
    "dau / mau"
    stickiness: Float
  }

  type SessionsPoint {
    bucket: String!
    group: Group!
    sessions: Int!
    "null at HOUR granularity (lengths are kept per day)."
    avgLengthS: Float
    sessionsPerPlayer: Float
  }

  type SessionLengths {
    sessions: Int!
    avgLengthS: Float
    "Lower edge of the histogram bin holding the median (exact below 60 s, then bins ~10 % wide)."
    medianLengthS: Int
  }

  type RetentionCohort {
    day: String!
    size: Int!
    "Players of the cohort active on cohort day + N, for each N of RetentionTable.days (null: not reached yet)."
    retained: [Int]!
    rates: [Float]!
  }

  type RetentionTable {
    days: [Int!]!
    cohorts: [RetentionCohort!]!
    "Classic DN retention over the cohorts that reached day N, for each N of days."
    classic: [Float]!
  }

  type RevenuePoint {
    bucket: String!
    group: Group!
    currency: String!
    grossMinor: Float!
    purchases: Int!
    payingPlayers: Int!
    "First purchases ever on that day (any currency)."
    convertedPlayers: Int
    firstTimeRevenueMinor: Float!
    arpdauMinor: Float
    arppuMinor: Float
    "convertedPlayers / mean daily active players."
    conversion: Float
  }

  type FunnelStep {
    path: String!
    starts: Int!
    fails: Int!
    completes: Int!
    failRate: Float
    completionRate: Float
    "Mean attempt number on completion, over the completions that said."
    avgAttempts: Float
  }

  type ResourceFlow {
    flow: String!
    currency: String!
    itemType: String!
    amount: Float!
    events: Int!
  }

  type DesignStat {
    designId: String!
    events: Int!
    avgValue: Float
  }

  type ErrorStat {
    severity: String!
    events: Int!
  }

  type EventCountPoint {
    bucket: String!
    eventType: String!
    events: Int!
  }

  type CurrencyAmount {
    currency: String!
    amountMinor: Float!
  }

  type PlayerSummary {
    firstDay: String!
    lastDay: String!
    activeDays: Int!
    sessions: Int!
    playtimeS: Float!
    events: Int!
    revenue: [CurrencyAmount!]!
    firstPurchaseAt: String
  }

  type TimelineEvent {
    eventId: ID!
    type: String!
    time: String!
    platform: String
    appVersion: String
    "The event's type-specific fields, as JSON."
    payload: String!
  }

  type TimelinePage {
    events: [TimelineEvent!]!
    "Pass as after to get the next page; null on the last page."
    nextCursor: String
  }

  enum RecommendationKind {
    ITEMS
    LEVELS
  }

  type RecommendedItem {
    id: ID!
    score: Float!
    "model: nearest to the player's own vector; popular: filled from what the game's players play most."
    source: String!
  }

  type Recommendations {
    kind: RecommendationKind!
    modelVersion: String!
    generatedAt: String!
    items: [RecommendedItem!]!
  }

  type Player {
    id: ID!
    summary: PlayerSummary
    timeline(first: Int = 50, after: String): TimelinePage!
    "From the recommendations service. When it fails or is slow: null with an UPSTREAM_UNAVAILABLE error on this field, the rest of the answer unaffected."
    recommendations(kind: RecommendationKind = ITEMS, limit: Int = 10): Recommendations
  }

  type Game {
    id: ID!
    activePlayers(range: DateRange!, granularity: Granularity = DAY, breakdown: [Dimension!] = [], filter: DimensionFilter): [ActivePlayersPoint!]!
    activeWindows(range: DateRange!): [WindowPoint!]!
    sessions(range: DateRange!, granularity: Granularity = DAY, breakdown: [Dimension!] = [], filter: DimensionFilter): [SessionsPoint!]!
    sessionLengths(range: DateRange!): SessionLengths!
    retention(cohorts: DateRange!, days: [Int!] = [1, 7, 30]): RetentionTable!
    revenue(range: DateRange!, granularity: Granularity = DAY, breakdown: [Dimension!] = [], filter: DimensionFilter): [RevenuePoint!]!
    progression(range: DateRange!, pathPrefix: String, first: Int = 50): [FunnelStep!]!
    resourceFlows(range: DateRange!): [ResourceFlow!]!
    designEvents(range: DateRange!, top: Int = 20): [DesignStat!]!
    errors(range: DateRange!): [ErrorStat!]!
    eventCounts(range: DateRange!, granularity: Granularity = HOUR): [EventCountPoint!]!
    player(id: ID!): Player
    players(ids: [ID!]!): [Player]!
  }

  type Query {
    game(id: ID!): Game!
  }

  type TypeCount {
    type: String!
    count: Int!
  }

  type LiveCounters {
    gameId: ID!
    at: String!
    "Events per type stored in the last 60 s."
    eventsPerMinute: [TypeCount!]!
    "Sessions started minus sessions ended within the window (ANALYTICS_CONCURRENT_WINDOW_MS), never below 0."
    concurrentPlayers: Int!
    "Gross revenue of the current UTC day per currency, from the rollups."
    revenueToday: [CurrencyAmount!]!
  }

  type Subscription {
    liveCounters(gameId: ID!): LiveCounters!
  }
`;
