import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import { MAVEN_PINS, mavenUrl } from "../config/pins";
import type { ClusterInfo, Tags } from "../contracts";
import { NAMESPACES } from "../contracts";
import type { Principal } from "./access";
import { mskAdminPolicy, mskAdminScript } from "./msk-settings";
import type { TopicSpec } from "./topics";

const SERVICE_ACCOUNT = "msk-admin";
/** The MSK IAM SASL library the Kafka CLI needs for AWS_MSK_IAM (the Strimzi image lacks it). */
const IAM_AUTH = { dir: "/opt/msk-iam" } as const;
// From Maven Central, where the Connect image build already fetches from: one egress destination fewer.
const IAM_AUTH_URL = mavenUrl(MAVEN_PINS.mskIamAuth);

export interface MskAdminArgs {
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly clusterArn: pulumi.Output<string>;
  readonly bootstrapIam: pulumi.Output<string>;
  /** Image with the Kafka CLI (from the ECR pull-through cache). */
  readonly image: pulumi.Input<string>;
  readonly topics: readonly TopicSpec[];
  readonly principals: readonly Principal[];
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  readonly tags: Tags;
}

/**
 * Creates the catalog's topics and the principals' ACLs on MSK from inside the cluster. MSK has no
 * public endpoint (and must not get one), so neither a laptop nor CI can reach a broker; a Job on
 * EKS can, and runs on every `pulumi up` that changes the catalog or the ACLs. It authenticates with
 * IAM (IRSA), limited to this cluster's topics and ACLs.
 */
export class MskAdmin extends pulumi.ComponentResource {
  constructor(name: string, args: MskAdminArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:MskAdmin", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const role = new IrsaRole(
      `${name}-role`,
      {
        cluster: args.cluster,
        namespace: NAMESPACES.kafka,
        serviceAccount: SERVICE_ACCOUNT,
        policy: args.clusterArn.apply(mskAdminPolicy),
        tags: args.tags,
      },
      { parent: this },
    );
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACES.kafka, annotations: { "eks.amazonaws.com/role-arn": role.arn } } },
      k8sOpts,
    );
    const securityContext = {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    };
    const volumeMounts = [{ name: "iam-auth", mountPath: IAM_AUTH.dir }];
    new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: { namespace: NAMESPACES.kafka, labels: { "app.kubernetes.io/name": "msk-admin" } },
        spec: {
          backoffLimit: 6,
          template: {
            metadata: { labels: { "app.kubernetes.io/name": "msk-admin" } },
            spec: {
              serviceAccountName: sa.metadata.name,
              restartPolicy: "OnFailure",
              securityContext: { runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001 },
              volumes: [{ name: "iam-auth", emptyDir: {} }],
              initContainers: [
                {
                  name: "fetch-iam-auth",
                  // Same image as the CLI (UBI minimal ships curl): one third-party image to pin, not two.
                  image: args.image,
                  // The release publishes a .sha256 next to the jar: a corrupt download fails the Job.
                  command: ["sh", "-ec"],
                  args: [
                    [
                      `curl -fsSL -o ${IAM_AUTH.dir}/iam.jar ${IAM_AUTH_URL}`,
                      `curl -fsSL -o ${IAM_AUTH.dir}/iam.jar.sha256 ${IAM_AUTH_URL}.sha256`,
                      `echo "$(cut -d' ' -f1 ${IAM_AUTH.dir}/iam.jar.sha256)  ${IAM_AUTH.dir}/iam.jar" | sha256sum -c -`,
                    ].join("\n"),
                  ],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "64Mi" } },
                  securityContext,
                  volumeMounts,
                },
              ],
              containers: [
                {
                  name: "admin",
                  image: args.image,
                  command: ["bash", "-c"],
                  args: [mskAdminScript(args.topics, args.principals)],
                  env: [
                    { name: "BOOTSTRAP", value: args.bootstrapIam },
                    // kafka-run-class.sh appends $CLASSPATH to the CLI's class path.
                    { name: "CLASSPATH", value: `${IAM_AUTH.dir}/iam.jar` },
                  ],
                  resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "512Mi" } },
                  securityContext,
                  volumeMounts,
                },
              ],
            },
          },
        },
      },
      k8sOpts,
    );
    this.registerOutputs({});
  }
}
