import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KafkaContract } from "../kafka/contract";
import { CATALOG, imageOf, WORKLOAD_NAMES } from "./catalog";
import type { AppName } from "../config/sections/apps";
import { appEnv, isKafkaApp, KAFKA_CA_DIR } from "./env";
import { callPolicies, dataPolicies } from "./spec";
import { formerly, type WorkloadsContext, Workload } from "./workload";

/** `dependsOn` holds the apps namespace, the Secrets the apps read (External Secrets, Kafka credentials), the CRDs. */
export interface WorkloadsArgs extends WorkloadsContext {
  readonly repositoryUrls: Readonly<Record<AppName, pulumi.Input<string>>>;
  readonly kafka: KafkaContract<pulumi.Output<string>>;
  readonly qdrantUrl: string;
  readonly region: string;
  /** Where RDS and ElastiCache are reached (the data allows admit their ports in this range only). */
  readonly vpcCidr: string;
}

/** Every catalog entry as a Workload, plus the NetworkPolicies that let apps call each other. */
export class Workloads extends pulumi.ComponentResource {
  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:workloads:Workloads", name, {}, formerly("gamemetrics:apps:Apps", opts));
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const kafka = args.kafka.bootstrapServers.apply((bootstrapServers): KafkaContract => ({ ...args.kafka, bootstrapServers }));
    const archivesBucket = pulumi.output(args.archives.bucket);
    for (const app of WORKLOAD_NAMES) {
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
          repositoryUrl: args.repositoryUrls[imageOf(app)],
          env: pulumi.all([kafka, archivesBucket]).apply(([k, bucket]) => appEnv(app, entry, { kafka: k, qdrantUrl: args.qdrantUrl, region: args.region, archivesBucket: bucket })),
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
    for (const policy of [...callPolicies(), ...dataPolicies(args.vpcCidr)]) {
      new k8s.networking.v1.NetworkPolicy(`${name}-np-${policy.name}`, { metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec }, k8sOpts);
    }
    this.registerOutputs({});
  }
}
