import { ALWAYS, flagAt, flagRule, PRODUCTION, resourceRule } from "../engine/define";
import { arr, str } from "../engine/inputs";
import type { Rule } from "../engine/types";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

const atRest = flagRule({
  name: "redis-encryption-at-rest",
  description: "ElastiCache Redis encrypts data at rest.",
  remediation: "Set atRestEncryptionEnabled true with the data KMS key (infra/data/redis.ts).",
  levels: ALWAYS,
  appliesTo: [GROUP],
  flag: "atRestEncryptionEnabled",
});

const inTransit = resourceRule({
  name: "redis-encryption-in-transit",
  description: "ElastiCache Redis requires TLS in transit.",
  remediation: "Set transitEncryptionEnabled true and transitEncryptionMode \"required\".",
  levels: ALWAYS,
  appliesTo: [GROUP],
  check(r) {
    const disabled = flagAt(r.inputs, "transitEncryptionEnabled");
    if (disabled !== undefined) return [disabled];
    return r.inputs["transitEncryptionMode"] === "preferred" ? ["transitEncryptionMode is \"preferred\" (plaintext still accepted)"] : [];
  },
});

const auth = resourceRule({
  name: "redis-auth",
  description: "ElastiCache Redis requires authentication (an AUTH token or RBAC user groups).",
  remediation: "Pass authToken from a @pulumi/random password (kept in Secrets Manager).",
  levels: ALWAYS,
  appliesTo: [GROUP],
  check: (r) => (str(r.inputs["authToken"]) || arr(r.inputs["userGroupIds"]).length > 0 ? [] : ["no authToken and no userGroupIds"]),
});

const failover = flagRule({
  name: "redis-automatic-failover",
  description: "Production Redis fails over automatically to a replica.",
  remediation: "Keep gamemetrics:redis.automaticFailover true (with replicasPerShard 1 or more) on production stacks.",
  levels: PRODUCTION,
  appliesTo: [GROUP],
  flag: "automaticFailoverEnabled",
});

const multiAz = flagRule({
  name: "redis-multi-az",
  description: "Production Redis places replicas in other AZs.",
  remediation: "Keep gamemetrics:redis.multiAz true on production stacks.",
  levels: PRODUCTION,
  appliesTo: [GROUP],
  flag: "multiAzEnabled",
});

export const REDIS_RULES: readonly Rule[] = [atRest, inTransit, auth, failover, multiAz];
