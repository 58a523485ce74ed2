import { int, section } from "../fields";

/** The retention job (apps/retention): how long raw events stay in PostgreSQL before they move to the archives bucket. */
export interface RetentionProfile {
  /** Days of player_events kept in PostgreSQL, today included; older daily partitions are archived to S3 and dropped. */
  hotDays: number;
}

export const retention = section<RetentionProfile>({
  fields: { hotDays: int(1, 3650) },
  // Free: a month fits the 20 GB db.t3.micro. Production: a quarter of raw events stays queryable in place.
  free: { hotDays: 30 },
  production: { hotDays: 90 },
});
