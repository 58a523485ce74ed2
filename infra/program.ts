import * as pulumi from "@pulumi/pulumi";
import { assertDeployingAccount, GithubDelivery, GitOps } from "./delivery";
import { Workloads } from "./workloads";
import { Cluster, DEFAULT_STORAGE_CLASS } from "./cluster";
import { loadPlatformConfig } from "./config";
import { DataLayer, dataStackOutputs, POSTGRES_DB_NAME } from "./data";
import { contractOutput, KafkaLayer } from "./kafka";
import { Network } from "./network";
import { SecurityBaseline } from "./security";
import { Observability, readReceiverSecrets } from "./observability";
import { PlatformServices } from "./services/platform";
import { Qdrant } from "./services/qdrant";
import { namePrefix, platformTags } from "./tags";

/** The stack program: typed config -> platform components -> stack outputs. */
export async function program(): Promise<Record<string, pulumi.Input<unknown>>> {
  const config = loadPlatformConfig();
  if (config.profile.apps.delivery === "argocd") await assertDeployingAccount(config.profile.delivery.awsAccountId);
  const tags = platformTags(config);
  const prefix = namePrefix(config);
  const network = new Network("network", { profile: config.profile.network, namePrefix: prefix, tags }).info;
  const cluster = new Cluster("cluster", { profile: config.profile.eks, network, clusterName: prefix, tags }).info;
  const data = new DataLayer("data", {
    network,
    nodeSecurityGroupId: cluster.nodeSecurityGroupId,
    profile: config.profile,
    // Debezium (kafka.cdc) reads the users tables through logical replication.
    logicalReplication: config.profile.kafka.cdc,
    namePrefix: prefix,
    tags,
  });
  const region = new pulumi.Config("aws").require("region");
  const security = new SecurityBaseline("security", {
    cluster,
    vpcCidr: network.vpcCidr,
    meshEnabled: config.profile.mesh.enabled,
    kafkaMode: config.profile.kafka.mode,
  });
  const platform = new PlatformServices("platform", {
    cluster,
    namespaces: security.namespaces,
    data: {
      kmsKeyArn: data.kmsKeyArn,
      postgresSecretArn: data.postgres.secretArn,
      redisSecretArn: data.redis.secretArn,
      backups: { bucket: data.bucketNames.backups, kmsKeyArn: data.kmsKeyArn },
    },
    vpcId: network.vpcId,
    region,
    profile: config.profile,
    tier: config.tier,
    namePrefix: prefix,
    tags,
  });
  const observability = new Observability("observability", {
    profile: config.profile.observability,
    stack: config.stack,
    cluster,
    storageClass: DEFAULT_STORAGE_CLASS,
    logs: { bucket: data.bucketNames.logs, kmsKeyArn: data.kmsKeyArn },
    region,
    rdsAllocatedGb: config.profile.rds.allocatedStorageGb,
    receiverSecrets: readReceiverSecrets(),
    tags,
    dependsOn: [security.namespaces.observability],
  });
  const qdrant = new Qdrant("qdrant", {
    profile: config.profile.qdrant,
    cluster,
    storageClass: DEFAULT_STORAGE_CLASS,
    backups: { bucket: data.bucketNames.backups, kmsKeyArn: data.kmsKeyArn },
    region,
    tags,
    dependsOn: [security.namespaces.data, security.namespaces.apps, observability.prometheusStack],
  });
  const kafka = new KafkaLayer("kafka", {
    tier: config.tier,
    profile: config.profile.kafka,
    azCount: config.profile.network.azCount,
    network,
    cluster,
    dependsOn: [security.namespaces.kafka, security.namespaces.apps, platform.secretStore, observability.prometheusStack],
    storageClass: DEFAULT_STORAGE_CLASS,
    cdcSource: { host: data.postgres.address, port: data.postgres.port, database: POSTGRES_DB_NAME, secretArn: data.postgres.secretArn },
    kmsKeyArn: data.kmsKeyArn,
    ecrKeepImages: config.profile.storage.ecrKeepImages,
    namePrefix: prefix,
    secretRecoveryDays: config.profile.storage.secretRecoveryDays,
    tags,
  });
  // The namespace, the Secrets the apps read (External Secrets, Kafka credentials, Qdrant key), and the ServiceMonitor CRD.
  const appsDependOn = [security, platform, kafka, qdrant, observability.prometheusStack];
  if (config.profile.apps.delivery === "pulumi") {
    new Workloads("apps", {
      profile: config.profile.apps,
      tier: config.tier,
      cluster,
      repositoryUrls: data.repositoryUrls,
      namePrefix: prefix,
      kafka: kafka.contract,
      qdrantUrl: qdrant.url,
      region,
      vpcCidr: network.vpcCidr,
      identity: config.profile.identity,
      secrets: { kmsKeyArn: data.kmsKeyArn, namePrefix: prefix, recoveryWindowInDays: config.profile.storage.secretRecoveryDays },
      postgresReaderHost: data.postgres.readerAddresses[0],
      archives: { bucket: data.bucketNames.archives, kmsKeyArn: data.kmsKeyArn },
      settings: config.profile,
      edge: platform.edge,
      workloadAzCount: config.profile.network.workloadAzCount,
      tags,
      dependsOn: appsDependOn,
    });
  } else {
    new GitOps("delivery", {
      profile: config.profile.delivery,
      tier: config.tier,
      stack: config.stack,
      region,
      cluster,
      archives: { bucket: data.bucketNames.archives, kmsKeyArn: data.kmsKeyArn },
      kafkaBootstrapServers: kafka.contract.bootstrapServers,
      qdrantUrl: qdrant.url,
      ...(config.profile.rds.readReplicas > 0 ? { postgresReaderHost: data.postgres.readerAddresses[0] } : {}),
      apps: config.profile.apps,
      identity: config.profile.identity,
      secrets: { kmsKeyArn: data.kmsKeyArn, namePrefix: prefix, recoveryWindowInDays: config.profile.storage.secretRecoveryDays },
      tags,
      dependsOn: appsDependOn,
    });
  }
  const github =
    config.profile.delivery.repository === ""
      ? undefined
      : new GithubDelivery("github", { profile: config.profile.delivery, stack: config.stack, namePrefix: prefix, region, clusterName: cluster.name, tags });
  return {
    kafka: contractOutput(kafka.contract),
    qdrantUrl: qdrant.url,
    tracesOtlpEndpoint: observability.otlpEndpoint,
    publicIngressClass: platform.edge.ingressClassName,
    ...dataStackOutputs(data),
    tier: config.tier,
    vpcId: network.vpcId,
    clusterName: cluster.name,
    kubeconfig: pulumi.secret(cluster.kubeconfig),
    appsDelivery: config.profile.apps.delivery,
    ...(github === undefined ? {} : { githubRoleArns: github.roleArns }),
  };
}
