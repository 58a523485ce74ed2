import type { Tier } from "../config";
import type { AclRule, Principal } from "./access";
import { maxReplicas, minInsyncReplicas, type TopicSpec } from "./topics";

// Pure MSK decisions: broker count, server.properties, secret names, the admin job's script and IAM policy.

/** Client ports MSK opens per auth method (TLS in transit on both). */
export const MSK_PORTS = { scram: 9096, iam: 9098, jmxExporter: 11001, nodeExporter: 11002 } as const;

/**
 * server.properties: no auto-created topics, no unclean elections, and deny-by-default ACLs. The
 * admin job authenticates with IAM, which MSK authorizes by IAM policy rather than ACLs, so the
 * cluster is locked down from its first minute without a super user (MSK has none).
 */
export function mskServerProperties(tier: Tier, brokers: number): string {
  const rf = Math.min(maxReplicas(tier), brokers);
  const minIsr = minInsyncReplicas(rf);
  return [
    "auto.create.topics.enable=false",
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${rf}`,
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${minIsr}`,
    "num.partitions=1",
    "unclean.leader.election.enable=false",
    "allow.everyone.if.no.acl.found=false",
  ].join("\n");
}

/** MSK only associates SCRAM secrets whose name starts with `AmazonMSK_`. */
export function mskSecretName(namePrefix: string, user: string): string {
  return `AmazonMSK_${namePrefix}_${user}`;
}

/** `arn:aws:kafka:r:a:cluster/name/uuid` -> the ARN pattern of its topics or groups. */
export function mskResourceArn(clusterArn: string, kind: "topic" | "group", name = "*"): string {
  if (!clusterArn.includes(":cluster/")) throw new Error(`not an MSK cluster ARN: ${clusterArn}`);
  return `${clusterArn.replace(":cluster/", `:${kind}/`)}/${name}`;
}

/** IAM policy of the admin job: manage topics and ACLs of this one cluster, read nothing, write no data. */
export function mskAdminPolicy(clusterArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Cluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:AlterCluster"],
        Resource: clusterArn,
      },
      {
        Sid: "Topics",
        Effect: "Allow",
        Action: [
          "kafka-cluster:CreateTopic",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:AlterTopic",
          "kafka-cluster:DescribeTopicDynamicConfiguration",
          "kafka-cluster:AlterTopicDynamicConfiguration",
        ],
        Resource: mskResourceArn(clusterArn, "topic"),
      },
    ],
  });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function aclArgs(rule: AclRule): string {
  const resource = `--${rule.resource.type} ${q(rule.resource.name)} --resource-pattern-type ${rule.resource.patternType}`;
  return `${rule.operations.map((o) => `--operation ${o}`).join(" ")} ${resource}`;
}

/**
 * The admin job's shell script: create every catalog topic (idempotent), converge its config, and
 * add every principal's ACLs. It lives in the Job spec, so any catalog or ACL change replaces the Job
 * and the script runs again. ACLs dropped from the table must be removed by hand (the job only adds).
 */
export function mskAdminScript(topics: readonly TopicSpec[], principals: readonly Principal[]): string {
  const admin = `--bootstrap-server "$BOOTSTRAP" --command-config /tmp/admin.properties`;
  const lines = [
    "set -euo pipefail",
    "cat > /tmp/admin.properties <<'EOF'",
    "security.protocol=SASL_SSL",
    "sasl.mechanism=AWS_MSK_IAM",
    "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
    "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    "EOF",
    ...topics.flatMap((t) => {
      const config = Object.entries(t.config).map(([k, v]) => `${k}=${v}`);
      return [
        `/opt/kafka/bin/kafka-topics.sh ${admin} --create --if-not-exists --topic ${q(t.name)} --partitions ${t.partitions} --replication-factor ${t.replicas} ${config.map((c) => `--config ${q(c)}`).join(" ")}`,
        `/opt/kafka/bin/kafka-configs.sh ${admin} --alter --entity-type topics --entity-name ${q(t.name)} --add-config ${q(config.join(","))}`,
      ];
    }),
    ...principals.flatMap((p) => p.acls.map((rule) => `/opt/kafka/bin/kafka-acls.sh ${admin} --add --allow-principal ${q(`User:${p.user}`)} ${aclArgs(rule)}`)),
    'echo "topics and ACLs converged"',
  ];
  return lines.join("\n");
}
