import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../cluster/irsa";
import type { ClusterInfo, Tags } from "../contracts";
import { ecrLifecyclePolicy } from "../data";
import { NAMESPACES } from "../contracts";

const PUSHER = "connect-image-pusher";
/** Secret (dockerconfigjson) Strimzi's Connect build pushes the image with. */
export const PUSH_SECRET = "connect-image-push";

/** Push to one repository; GetAuthorizationToken has no resource-level scope in IAM, so it alone is on "*". */
export function pusherPolicy(repositoryArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Token", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "Push",
        Effect: "Allow",
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:CompleteLayerUpload",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ],
        Resource: repositoryArn,
      },
    ],
  });
}

export interface ConnectImageArgs {
  readonly cluster: Pick<ClusterInfo, "provider" | "oidcProviderArn" | "oidcIssuer">;
  readonly namePrefix: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Images kept (the platform's ECR lifecycle rule). */
  readonly keepImages: number;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  readonly tags: Tags;
}

/**
 * Where Strimzi's Connect build pushes the Connect image with the Debezium plugin: a private,
 * encrypted, scanned ECR repository, and a push credential External Secrets renews from a
 * short-lived ECR token (they expire after 12 h) under an IRSA role that may push there only.
 */
export class ConnectImageRepository extends pulumi.ComponentResource {
  readonly repositoryUrl: pulumi.Output<string>;
  readonly pushSecret: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ConnectImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:ConnectImage", name, {}, opts);
    const repository = new aws.ecr.Repository(
      name,
      {
        name: `${args.namePrefix}/kafka-connect-cdc`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
        forceDelete: false,
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(name, { repository: repository.name, policy: ecrLifecyclePolicy(args.keepImages) }, { parent: this });
    const role = new IrsaRole(
      `${name}-pusher`,
      { cluster: args.cluster, namespace: NAMESPACES.kafka, serviceAccount: PUSHER, policy: repository.arn.apply(pusherPolicy), tags: args.tags },
      { parent: this },
    );
    const k8sOpts = { parent: this, provider: args.cluster.provider, dependsOn: args.dependsOn };
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-pusher`,
      { metadata: { name: PUSHER, namespace: NAMESPACES.kafka, annotations: { "eks.amazonaws.com/role-arn": role.arn } } },
      k8sOpts,
    );
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const generator = new k8s.apiextensions.CustomResource(
      `${name}-token`,
      {
        apiVersion: "generators.external-secrets.io/v1alpha1",
        kind: "ECRAuthorizationToken",
        metadata: { name: PUSHER, namespace: NAMESPACES.kafka },
        spec: { region, auth: { jwt: { serviceAccountRef: { name: PUSHER } } } },
      },
      { ...k8sOpts, dependsOn: [sa] },
    );
    this.pushSecret = new k8s.apiextensions.CustomResource(
      `${name}-push-secret`,
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: PUSH_SECRET, namespace: NAMESPACES.kafka },
        spec: {
          refreshInterval: "6h",
          dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind: "ECRAuthorizationToken", name: PUSHER } } }],
          target: {
            name: PUSH_SECRET,
            template: {
              type: "kubernetes.io/dockerconfigjson",
              data: { ".dockerconfigjson": '{"auths":{"{{ .proxy_endpoint }}":{"username":"{{ .username }}","password":"{{ .password }}"}}}' },
            },
          },
        },
      },
      { ...k8sOpts, dependsOn: [generator] },
    );
    this.repositoryUrl = repository.repositoryUrl;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl });
  }
}
