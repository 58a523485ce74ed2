import { ALWAYS, PRODUCTION, resourceRule } from "../engine/define";
import { arr, bool, str } from "../engine/inputs";
import type { ResourceRule, Rule } from "../engine/types";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

function flagRule(name: string, description: string, remediation: string, levels: ResourceRule["levels"], key: string): ResourceRule {
  return resourceRule({
    name,
    description,
    remediation,
    levels,
    appliesTo: [GROUP],
    check: (r) => (bool(r.inputs[key]) === true ? [] : [`${key} is not true`]),
  });
}

const atRest = flagRule(
  "redis-encryption-at-rest",
  "ElastiCache Redis encrypts data at rest.",
  "Set atRestEncryptionEnabled true with the data KMS key (infra/data/redis.ts).",
  ALWAYS,
  "atRestEncryptionEnabled",
);

const inTransit = resourceRule({
  name: "redis-encryption-in-transit",
  description: "ElastiCache Redis requires TLS in transit.",
  remediation: "Set transitEncryptionEnabled true and transitEncryptionMode \"required\".",
  levels: ALWAYS,
  appliesTo: [GROUP],
  check(r) {
    if (bool(r.inputs["transitEncryptionEnabled"]) !== true) return ["transitEncryptionEnabled is not true"];
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

const failover = flagRule(
  "redis-automatic-failover",
  "Production Redis fails over automatically to a replica.",
  "Keep gamemetrics:redis.automaticFailover true (with replicasPerShard 1 or more) on production stacks.",
  PRODUCTION,
  "automaticFailoverEnabled",
);

const multiAz = flagRule(
  "redis-multi-az",
  "Production Redis places replicas in other AZs.",
  "Keep gamemetrics:redis.multiAz true on production stacks.",
  PRODUCTION,
  "multiAzEnabled",
);

export const REDIS_RULES: readonly Rule[] = [atRest, inTransit, auth, failover, multiAz];
