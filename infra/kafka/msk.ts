import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tier } from "../config";
import type { KafkaProfile } from "../config/sections/kafka";
import type { NetworkInfo, Tags } from "../contracts";
import { nodeOnlySecurityGroup } from "../data/access";
import { jsonSecret } from "../data/secret";
import type { Principal } from "./access";
import { CREDENTIAL_KEYS } from "./contract";
import { mskBrokerCount, mskSubnetCount } from "../config/sections/kafka";
import { MSK_PORTS, mskSecretName, mskServerProperties } from "./msk-settings";

export interface MskArgs {
  readonly tier: Tier;
  readonly profile: KafkaProfile;
  readonly azCount: number;
  readonly network: NetworkInfo;
  /** The only source admitted to the brokers. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  readonly principals: readonly Principal[];
  /** Generated SCRAM password per principal user (shared with the Kubernetes Secrets). */
  readonly passwords: Readonly<Record<string, pulumi.Output<string>>>;
  readonly namePrefix: string;
  readonly secretRecoveryDays: number;
  readonly tags: Tags;
}

/**
 * Amazon MSK: SASL/SCRAM for the apps (secrets in Secrets Manager under a customer KMS key), IAM for
 * the admin job, TLS client-broker and between brokers, encryption at rest, broker logs, a
 * configuration resource, no public access, reachable only from the cluster's nodes.
 */
export class Msk extends pulumi.ComponentResource {
  readonly clusterArn: pulumi.Output<string>;
  /** SASL/SCRAM over TLS (port 9096): what the apps and platform services use. */
  readonly bootstrapScram: pulumi.Output<string>;
  /** IAM over TLS (port 9098): only the admin job. */
  readonly bootstrapIam: pulumi.Output<string>;

  constructor(name: string, args: MskArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:Msk", name, {}, opts);
    const { profile, tags } = args;
    const parent = { parent: this };
    const brokers = mskBrokerCount(profile.mskBrokersPerAz, args.azCount);

    // MSK refuses SCRAM secrets under the AWS-managed key: one customer key for the volumes and the secrets.
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: `MSK ${args.namePrefix}: broker volumes and SCRAM secrets`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
      parent,
    );
    new aws.kms.Alias(`${name}-key`, { name: `alias/${args.namePrefix}-msk`, targetKeyId: key.keyId }, parent);

    const securityGroup = nodeOnlySecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.network.vpcId,
        nodeSecurityGroupId: args.nodeSecurityGroupId,
        description: "MSK brokers: SCRAM, IAM and Prometheus exporters from EKS nodes only",
        ports: [
          { fromPort: MSK_PORTS.scram, toPort: MSK_PORTS.scram, description: "SASL/SCRAM over TLS from EKS nodes" },
          { fromPort: MSK_PORTS.iam, toPort: MSK_PORTS.iam, description: "IAM over TLS from EKS nodes (admin job)" },
          { fromPort: MSK_PORTS.jmxExporter, toPort: MSK_PORTS.nodeExporter, description: "Prometheus exporters from EKS nodes" },
        ],
        tags,
      },
      this,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-broker-logs`,
      { name: `/aws/msk/${args.namePrefix}`, retentionInDays: profile.mskLogRetentionDays, tags },
      parent,
    );
    const configuration = new aws.msk.Configuration(
      `${name}-config`,
      {
        name: `${args.namePrefix}-kafka`,
        kafkaVersions: [profile.mskKafkaVersion],
        serverProperties: mskServerProperties(args.tier, brokers),
        description: "No auto-created topics, deny-by-default ACLs, replication per tier",
      },
      parent,
    );
    const cluster = new aws.msk.Cluster(
      name,
      {
        clusterName: args.namePrefix,
        kafkaVersion: profile.mskKafkaVersion,
        numberOfBrokerNodes: brokers,
        brokerNodeGroupInfo: {
          instanceType: profile.mskInstanceType,
          clientSubnets: args.network.privateSubnetIds.slice(0, mskSubnetCount(args.azCount)),
          securityGroups: [securityGroup.id],
          storageInfo: { ebsStorageInfo: { volumeSize: profile.mskStorageGb } },
          connectivityInfo: { publicAccess: { type: "DISABLED" } },
        },
        clientAuthentication: { sasl: { scram: true, iam: true }, unauthenticated: false },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: key.arn,
          encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
        openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
        enhancedMonitoring: args.tier === "production" ? "PER_BROKER" : "DEFAULT",
        tags,
      },
      parent,
    );

    const secrets = args.principals.map(({ user }) => {
      const password = args.passwords[user];
      if (password === undefined) throw new Error(`msk: no generated password for principal ${user}`);
      return jsonSecret(
        `${name}-scram-${user}`,
        {
          secretName: mskSecretName(args.namePrefix, user),
          description: `SCRAM credentials of Kafka principal ${user}`,
          kmsKeyArn: key.arn,
          recoveryWindowInDays: args.secretRecoveryDays,
          value: password.apply((p) => ({ [CREDENTIAL_KEYS.username]: user, [CREDENTIAL_KEYS.password]: p })),
          tags,
        },
        this,
      );
    });
    new aws.msk.ScramSecretAssociation(`${name}-scram`, { clusterArn: cluster.arn, secretArnLists: secrets.map((s) => s.arn) }, parent);

    this.clusterArn = cluster.arn;
    this.bootstrapScram = cluster.bootstrapBrokersSaslScram;
    this.bootstrapIam = cluster.bootstrapBrokersSaslIam;
    this.registerOutputs({ clusterArn: this.clusterArn, bootstrapScram: this.bootstrapScram });
  }
}
