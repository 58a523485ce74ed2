import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../contracts";
import { externalSecret } from "../services/external-secrets";
import { CONNECT_GROUP, SERVICE_USERS } from "./access";
import { CREDENTIAL_KEYS } from "./contract";
import { userSecretName } from "./credentials";
import { DEBEZIUM_POSTGRES } from "./images";
import { mavenUrl } from "../config/pins";
import { STRIMZI_API } from "./strimzi-spec";
import { CDC_TOPIC_PREFIX, TOPICS } from "./topics";

/** The users service's player tables streamed into Kafka, one topic each: `cdc.users.<schema>.<table>` (staff, clients and OIDC artifacts hold credentials and are never streamed). */
export const CDC_TABLES = ["public.player_profiles", "public.player_consent_changes"] as const;
const CONNECT_NAME = "connect-cdc";
const DB_SECRET = "cdc-postgres";
const DB_MOUNT = "/mnt/cdc-postgres";

export interface CdcSource {
  readonly host: pulumi.Input<string>;
  readonly port: number;
  readonly database: string;
  /** Secrets Manager secret (JSON with username and password) External Secrets reads: the RDS master secret. */
  readonly secretArn: pulumi.Input<string>;
}

/** Debezium PostgreSQL connector config; credentials are read from the mounted Secret at run time. */
export function connectorConfig(source: Pick<CdcSource, "port" | "database">, host: string, replicas: number): Record<string, string | number> {
  return {
    "database.hostname": host,
    "database.port": source.port,
    "database.user": `\${directory:${DB_MOUNT}:username}`,
    "database.password": `\${directory:${DB_MOUNT}:password}`,
    "database.dbname": source.database,
    // RDS forces TLS (rds.force_ssl).
    "database.sslmode": "require",
    "topic.prefix": CDC_TOPIC_PREFIX,
    "plugin.name": "pgoutput",
    "slot.name": "gamemetrics_users_cdc",
    "publication.name": "gamemetrics_users_cdc",
    "publication.autocreate.mode": "filtered",
    "table.include.list": CDC_TABLES.join(","),
    "snapshot.mode": "initial",
    // Heartbeats move the slot on when the users tables are quiet, so RDS does not keep WAL forever;
    // the prefix keeps the heartbeat topic under the worker's ACL prefix.
    "heartbeat.interval.ms": 10_000,
    "topic.heartbeat.prefix": `${CDC_TOPIC_PREFIX}.heartbeat`,
    // Change topics are keyed by primary key: compaction keeps the latest row state.
    "topic.creation.default.replication.factor": replicas,
    "topic.creation.default.partitions": 1,
    "topic.creation.default.cleanup.policy": "compact",
  };
}

export interface CdcArgs {
  readonly bootstrap: pulumi.Input<string>;
  /** Strimzi cluster CA Secret in the kafka namespace; null uses the JVM's trust store (MSK). */
  readonly caSecret: string | null;
  readonly kafkaVersion: string;
  readonly source: CdcSource;
  readonly imageRepositoryUrl: pulumi.Input<string>;
  readonly pushSecret: string;
  readonly replicas: number;
  readonly topicReplicas: number;
  readonly provider: k8s.Provider;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Kafka Connect (Strimzi) with Debezium's PostgreSQL connector, streaming the users tables from RDS
 * (logical replication on) into `cdc.users.*`. Works against either mode's brokers.
 */
export class Cdc extends pulumi.ComponentResource {
  constructor(name: string, args: CdcArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:Cdc", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    // The RDS master secret as {username, password, ...}: Debezium needs REPLICATION, which the RDS master has.
    const dbSecret = externalSecret(`${name}-db-secret`, { namespace: NAMESPACES.kafka, secretName: DB_SECRET, remoteKey: args.source.secretArn }, k8sOpts);
    const connect = new k8s.apiextensions.CustomResource(
      `${name}-connect`,
      {
        apiVersion: STRIMZI_API,
        kind: "KafkaConnect",
        metadata: { name: CONNECT_NAME, namespace: NAMESPACES.kafka, annotations: { "strimzi.io/use-connector-resources": "true" } },
        spec: {
          version: args.kafkaVersion,
          replicas: args.replicas,
          bootstrapServers: args.bootstrap,
          groupId: CONNECT_GROUP,
          configStorageTopic: TOPICS.connectConfigs.name,
          offsetStorageTopic: TOPICS.connectOffsets.name,
          statusStorageTopic: TOPICS.connectStatus.name,
          tls: { trustedCertificates: args.caSecret === null ? [] : [{ secretName: args.caSecret, certificate: "ca.crt" }] },
          authentication: {
            type: "scram-sha-512",
            username: SERVICE_USERS.connect,
            passwordSecret: { secretName: userSecretName(SERVICE_USERS.connect), password: CREDENTIAL_KEYS.password },
          },
          config: {
            // -1: the broker's default.replication.factor, which follows the tier.
            "config.storage.replication.factor": -1,
            "offset.storage.replication.factor": -1,
            "status.storage.replication.factor": -1,
            "config.providers": "directory",
            "config.providers.directory.class": "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
          },
          build: {
            output: { type: "docker", image: pulumi.interpolate`${args.imageRepositoryUrl}:debezium-postgres-${DEBEZIUM_POSTGRES.version}`, pushSecret: args.pushSecret },
            plugins: [
              {
                name: "debezium-postgres",
                artifacts: [
                  {
                    type: "tgz",
                    url: mavenUrl(DEBEZIUM_POSTGRES),
                  },
                ],
              },
            ],
          },
          template: {
            pod: { volumes: [{ name: DB_SECRET, secret: { secretName: DB_SECRET } }] },
            connectContainer: { volumeMounts: [{ name: DB_SECRET, mountPath: DB_MOUNT, readOnly: true }] },
          },
          resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
          metricsConfig: { type: "strimziMetricsReporter" },
        },
      },
      { ...k8sOpts, dependsOn: [...args.dependsOn, dbSecret] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-connector`,
      {
        apiVersion: STRIMZI_API,
        kind: "KafkaConnector",
        metadata: { name: "users-cdc", namespace: NAMESPACES.kafka, labels: { "strimzi.io/cluster": CONNECT_NAME } },
        spec: {
          class: "io.debezium.connector.postgresql.PostgresConnector",
          tasksMax: 1,
          state: "running",
          config: pulumi.output(args.source.host).apply((host) => connectorConfig(args.source, host, args.topicReplicas)),
        },
      },
      { ...k8sOpts, dependsOn: [connect] },
    );
    this.registerOutputs({});
  }
}
