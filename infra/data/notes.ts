import type { PlatformConfig } from "../config";
import { redisNodeCount, redisTopology } from "./redis-settings";

/** Plan notes for the data layer (see infra/tools/plan-notes.ts): pure, one concern each. */

/** Instance classes the AWS free tier covers (750 h/month, Single-AZ, up to 20 GB). */
const FREE_DB_CLASSES = ["db.t3.micro", "db.t4g.micro"];
const FREE_CACHE_NODE = "cache.t3.micro";

export function dataCostNote(c: PlatformConfig): string | undefined {
  if (c.tier !== "free") return undefined;
  const { rds, redis } = c.profile;
  const paid: string[] = [];
  if (!FREE_DB_CLASSES.includes(rds.instanceClass) || rds.multiAz || rds.readReplicas > 0 || rds.allocatedStorageGb > 20) paid.push("RDS");
  if (redis.nodeType !== FREE_CACHE_NODE || redisNodeCount(redisTopology(redis)) > 1) paid.push("ElastiCache");
  const base = "free tier: the data KMS key (~$1/month) and the Secrets Manager secrets ($0.40/month each) are never free";
  return paid.length === 0 ? base : `${base}; overrides take ${paid.join(" and ")} outside the AWS free tier`;
}

export function dataProtectionNote(c: PlatformConfig): string | undefined {
  if (c.tier !== "production") return undefined;
  const { rds } = c.profile;
  const off = [
    rds.deletionProtection ? undefined : "RDS deletion protection",
    rds.finalSnapshot ? undefined : "the RDS final snapshot",
    rds.backupRetentionDays >= 7 ? undefined : `7 days of backups (${rds.backupRetentionDays})`,
  ].filter((x): x is string => x !== undefined);
  return off.length === 0 ? undefined : `production without ${off.join(", ")}: data can be lost on delete or restore`;
}
