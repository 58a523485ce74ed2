import type { RdsProfile } from "../config/sections/rds";

/** Pure RDS PostgreSQL decisions, kept apart from the component so they are unit-testable. */

export const POSTGRES_PORT = 5432;
export const POSTGRES_DB_NAME = "gamemetrics";
export const POSTGRES_MASTER_USER = "gamemetrics_admin";

/** The master secret's JSON, the shape External Secrets maps key by key into a Kubernetes Secret. */
export interface PostgresSecret {
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
}

export function postgresSecret(password: string, host: string): PostgresSecret {
  return { username: POSTGRES_MASTER_USER, password, host, port: POSTGRES_PORT, dbname: POSTGRES_DB_NAME };
}

export interface PostgresParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: "immediate" | "pending-reboot";
}

export interface ParameterOptions {
  /** Logical decoding for CDC (Debezium); set by the program when Kafka Connect needs it. */
  readonly logicalReplication: boolean;
  /** The database pg_cron schedules jobs in. */
  readonly dbName: string;
}

/**
 * Parameter group settings: TLS forced, pg_cron preloaded (pg_partman needs no preload, only
 * CREATE EXTENSION), logical replication on demand. Static parameters apply at the next reboot.
 */
export function postgresParameters(opts: ParameterOptions): PostgresParameter[] {
  return [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    // Overriding the list replaces RDS's default, so pg_stat_statements must be named again.
    { name: "shared_preload_libraries", value: "pg_stat_statements,pg_cron", applyMethod: "pending-reboot" },
    { name: "cron.database_name", value: opts.dbName, applyMethod: "pending-reboot" },
    { name: "rds.logical_replication", value: opts.logicalReplication ? "1" : "0", applyMethod: "pending-reboot" },
  ];
}

/** Parameter group family for a major version: `postgres16`. */
export function parameterFamily(engineVersion: RdsProfile["engineVersion"]): string {
  return `postgres${engineVersion}`;
}

/** Storage autoscaling ceiling; 0 is how RDS spells "autoscaling off". */
export function maxAllocatedStorage(profile: Pick<RdsProfile, "allocatedStorageGb" | "maxAllocatedStorageGb">): number {
  return profile.maxAllocatedStorageGb > profile.allocatedStorageGb ? profile.maxAllocatedStorageGb : 0;
}

/** CloudWatch log exports PostgreSQL on RDS supports. */
export function logExports(profile: Pick<RdsProfile, "cloudwatchLogs">): string[] {
  return profile.cloudwatchLogs ? ["postgresql", "upgrade"] : [];
}

/** The log groups RDS writes exports to, per log type; created ahead so they get retention and encryption. */
export function logGroupNames(identifier: string, profile: Pick<RdsProfile, "cloudwatchLogs">): { logType: string; groupName: string }[] {
  return logExports(profile).map((logType) => ({ logType, groupName: `/aws/rds/instance/${identifier}/${logType}` }));
}

/**
 * Single-AZ primaries sit in the first AZ, where the tier's workloads run (no cross-AZ hop or
 * transfer charge); Multi-AZ primaries are placed by RDS.
 */
export function primaryAz(azNames: readonly string[], multiAz: boolean): string | undefined {
  return multiAz ? undefined : azAt(azNames, 0);
}

/** Read replica `index` goes to the AZ after the primary's, round robin, so replicas spread. */
export function replicaAz(azNames: readonly string[], index: number): string {
  return azAt(azNames, index + 1);
}

function azAt(azNames: readonly string[], index: number): string {
  if (azNames.length === 0) throw new Error("the network reported no availability zones");
  return azNames[index % azNames.length];
}
