import { ALWAYS, FREE, flagAt, flagRule, perTypeRule, PRODUCTION, problems, resourceRule } from "../engine/define";
import { arr, bool, num, obj, str } from "../engine/inputs";
import type { PolicyResource, ResourceRule, Rule, RuleInfo } from "../engine/types";

const INSTANCE = "aws:rds/instance:Instance";

/** Read replicas inherit backups, encryption and snapshots from their source. */
function isReplica(r: PolicyResource): boolean {
  return r.inputs["replicateSourceDb"] !== undefined;
}

type PrimaryCheck = (r: PolicyResource) => string | undefined;

/** A rule that applies to primary instances only. */
function primaryRule(def: RuleInfo & { check: PrimaryCheck }): ResourceRule {
  const { check, ...info } = def;
  return resourceRule({ ...info, appliesTo: [INSTANCE], check: (r) => (isReplica(r) ? [] : problems(check(r))) });
}

/** A primary-only rule that requires the boolean input `flag` to be true (flagRule for primaries). */
function primaryFlagRule(def: RuleInfo & { flag: string }): ResourceRule {
  const { flag, ...info } = def;
  return primaryRule({ ...info, check: (r) => flagAt(r.inputs, flag) });
}

const encrypted = resourceRule({
  name: "rds-storage-encrypted",
  description: "RDS storage is encrypted at rest.",
  remediation: "Set storageEncrypted true with the data KMS key (infra/data/postgres.ts).",
  levels: ALWAYS,
  appliesTo: [INSTANCE],
  check: (r) => (bool(r.inputs["storageEncrypted"]) === true || isReplica(r) ? [] : ["storageEncrypted is not true"]),
});

const notPublic = flagRule({
  name: "rds-not-public",
  description: "RDS instances are not publicly accessible.",
  remediation: "Set publiclyAccessible false; reach the database from the cluster through its security group.",
  levels: ALWAYS,
  appliesTo: [INSTANCE],
  flag: "publiclyAccessible",
  required: "not true",
});

const multiAz = primaryFlagRule({
  name: "rds-multi-az",
  description: "Production primaries are Multi-AZ (synchronous standby, automatic failover).",
  remediation: "Keep gamemetrics:rds.multiAz true on production stacks.",
  levels: PRODUCTION,
  flag: "multiAz",
});

const singleAzFree = primaryRule({
  name: "rds-single-az-free",
  description: "Free-tier databases are single-AZ (Multi-AZ doubles the instance bill and is outside the free tier).",
  remediation: "Set gamemetrics:rds.multiAz false on free-tier stacks.",
  levels: FREE,
  check: (r) => (bool(r.inputs["multiAz"]) === true ? "multiAz is true on the free tier" : undefined),
});

/** Automated backups kept at least `days` days. */
function minRetention(days: number): PrimaryCheck {
  return (r) => {
    const retention = num(r.inputs["backupRetentionPeriod"]) ?? 0;
    return retention >= days ? undefined : `backupRetentionPeriod is ${retention}; required: ${days} or more`;
  };
}

const backups = primaryRule({
  name: "rds-backup-retention",
  description: "Automated backups are kept at least 1 day.",
  remediation: "Set gamemetrics:rds.backupRetentionDays to 1 or more.",
  levels: ALWAYS,
  check: minRetention(1),
});

const backupsProduction = primaryRule({
  name: "rds-backup-retention-production",
  description: "Production keeps automated backups (point-in-time recovery) at least 7 days.",
  remediation: "Set gamemetrics:rds.backupRetentionDays to 7 or more.",
  levels: PRODUCTION,
  check: minRetention(7),
});

const deletionProtection = primaryFlagRule({
  name: "rds-deletion-protection",
  description: "Production primaries have deletion protection.",
  remediation: "Keep gamemetrics:rds.deletionProtection true on production stacks.",
  levels: PRODUCTION,
  flag: "deletionProtection",
});

const finalSnapshot = primaryRule({
  name: "rds-final-snapshot",
  description: "Production primaries take a named final snapshot when deleted.",
  remediation: "Keep gamemetrics:rds.finalSnapshot true (skipFinalSnapshot false with a finalSnapshotIdentifier).",
  levels: PRODUCTION,
  check: (r) =>
    bool(r.inputs["skipFinalSnapshot"]) === true || str(r.inputs["finalSnapshotIdentifier"]) === undefined
      ? "no final snapshot (skipFinalSnapshot true or no finalSnapshotIdentifier)"
      : undefined,
});

const forceSsl = perTypeRule({
  name: "rds-force-ssl",
  description: "PostgreSQL forces TLS: a custom parameter group sets rds.force_ssl=1.",
  remediation: "Attach the component's parameter group (infra/data/postgres-settings.ts) with rds.force_ssl=1.",
  levels: ALWAYS,
  checks: {
    [INSTANCE]: (r) => {
      const group = str(r.inputs["parameterGroupName"]);
      return group === undefined || group.startsWith("default.") ? ["uses the default parameter group (TLS not forced)"] : [];
    },
    "aws:rds/parameterGroup:ParameterGroup": (r) => {
      if (!(str(r.inputs["family"]) ?? "").startsWith("postgres")) return [];
      const ssl = arr(r.inputs["parameters"]).map(obj).find((p) => p?.["name"] === "rds.force_ssl");
      return String(ssl?.["value"]) === "1" ? [] : ["rds.force_ssl is not 1"];
    },
  },
});

export const RDS_RULES: readonly Rule[] = [
  encrypted,
  notPublic,
  multiAz,
  singleAzFree,
  backups,
  backupsProduction,
  deletionProtection,
  finalSnapshot,
  forceSsl,
];
