import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KafkaContract } from "../kafka/contract";
import { NAMESPACES } from "../contracts";
import { CATALOG } from "./catalog";
import { APP_NAMES, type AppName } from "../config/sections/apps";
import { appEnv, isKafkaApp, KAFKA_CA_DIR } from "./env";
import { callPolicies } from "./spec";
import { formerly, type WorkloadsContext, Workload } from "./workload";

/** `dependsOn` holds the apps namespace, the Secrets the apps read (External Secrets, Kafka credentials), the CRDs. */
export interface WorkloadsArgs extends WorkloadsContext {
  readonly repositoryUrls: Readonly<Record<AppName, pulumi.Input<string>>>;
  readonly kafka: KafkaContract<pulumi.Output<string>>;
  readonly qdrantUrl: string;
  readonly region: string;
  /** The first read replica's address, when the stack has replicas. */
  readonly postgresReaderHost?: pulumi.Input<string>;
}

/** The users service is the platform's token issuer; APIs verify against it in-cluster. */
export function authIssuerUrl(): string {
  const users = CATALOG.users;
  const port = users.kind === "service" ? users.listener.port : 8080;
  return `http://users.${NAMESPACES.apps}.svc.cluster.local:${port}`;
}

/** Every catalog entry as a Workload, plus the NetworkPolicies that let apps call each other. */
export class Workloads extends pulumi.ComponentResource {
  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:workloads:Workloads", name, {}, formerly("gamemetrics:apps:Apps", opts));
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const kafka = args.kafka.bootstrapServers.apply((bootstrapServers): KafkaContract => ({ ...args.kafka, bootstrapServers }));
    const archivesBucket = pulumi.output(args.archives.bucket);
    for (const app of APP_NAMES) {
      const entry = CATALOG[app];
      const caSecret = args.kafka.caSecret;
      new Workload(
        `${name}-${app}`,
        {
          app,
          entry,
          profile: args.profile,
          tier: args.tier,
          cluster: args.cluster,
          repositoryUrl: args.repositoryUrls[app],
          env: pulumi.all([kafka, archivesBucket, args.postgresReaderHost ?? ""]).apply(([k, bucket, reader]) =>
            appEnv(app, entry, {
              kafka: k, qdrantUrl: args.qdrantUrl, region: args.region, archivesBucket: bucket,
              postgresReaderHost: reader === "" ? undefined : reader, authIssuer: authIssuerUrl(),
            }),
          ),
          kafkaCa: isKafkaApp(app) && caSecret !== null ? { secretName: caSecret.name, mountPath: KAFKA_CA_DIR } : null,
          workloadAzCount: args.workloadAzCount,
          edge: args.edge,
          archives: args.archives,
          tags: args.tags,
          dependsOn: args.dependsOn,
        },
        { parent: this },
      );
    }
    for (const policy of callPolicies()) {
      new k8s.networking.v1.NetworkPolicy(`${name}-np-${policy.name}`, { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec }, k8sOpts);
    }
    this.registerOutputs({});
  }
}
