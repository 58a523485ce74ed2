import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";
import { ecrLifecyclePolicy } from "../data";

/** A quay.io image our own workloads run (the Strimzi operator pulls its operands itself). */
export interface QuayImage {
  /** Path under quay.io, e.g. `apicurio/apicurio-registry`. */
  readonly path: string;
  readonly tag: string;
}

export interface ImageCacheArgs {
  readonly images: Readonly<Record<string, QuayImage>>;
  readonly namePrefix: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly keepImages: number;
  readonly tags: Tags;
}

/** ECR repository that caches one quay.io path under the stack's pull-through prefix. */
export function cachedRepositoryName(namePrefix: string, path: string): string {
  return `${namePrefix}-quay/${path}`;
}

/**
 * Third-party images through an ECR pull-through cache of quay.io: nodes pull from our registry, and
 * the cached repositories are pre-created with immutable tags, so the first pull of a tag pins it
 * (a later re-push upstream cannot change what runs). Pre-creating them also means the nodes need
 * no ecr:CreateRepository; their pull policy already allows the upstream import.
 */
export class ImageCache extends pulumi.ComponentResource {
  /** Image reference per key, `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-quay/<path>:<tag>`. */
  readonly refs: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ImageCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:kafka:ImageCache", name, {}, opts);
    const rule = new aws.ecr.PullThroughCacheRule(
      name,
      { ecrRepositoryPrefix: `${args.namePrefix}-quay`, upstreamRegistryUrl: "quay.io" },
      { parent: this },
    );
    const refs: Record<string, pulumi.Output<string>> = {};
    for (const [key, image] of Object.entries(args.images)) {
      const repository = new aws.ecr.Repository(
        `${name}-${key}`,
        {
          name: cachedRepositoryName(args.namePrefix, image.path),
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
          tags: args.tags,
        },
        { parent: this, dependsOn: [rule] },
      );
      new aws.ecr.LifecyclePolicy(`${name}-${key}`, { repository: repository.name, policy: ecrLifecyclePolicy(args.keepImages) }, { parent: this });
      refs[key] = pulumi.interpolate`${repository.repositoryUrl}:${image.tag}`;
    }
    this.refs = refs;
    this.registerOutputs({ refs });
  }
}
