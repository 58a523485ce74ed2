import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../contracts";

/** Days an untagged image (a superseded build layer set) is kept before it expires. */
export const UNTAGGED_EXPIRY_DAYS = 7;

/**
 * ECR lifecycle policy: untagged images expire after a week, and only the newest `keep` images stay.
 * ECR requires the `any` rule to have the highest priority number, so it comes last.
 */
export function ecrLifecyclePolicy(keep: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `expire untagged images after ${UNTAGGED_EXPIRY_DAYS} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_EXPIRY_DAYS },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `keep the newest ${keep} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  });
}

/** Repository name per stack, so dev and prod in one account do not collide: `gamemetrics-dev/ingestion`. */
export function repositoryName(namePrefix: string, app: string): string {
  return `${namePrefix}/${app}`;
}

export interface RegistryArgs<App extends string> {
  readonly apps: readonly App[];
  readonly namePrefix: string;
  readonly keepImages: number;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/** One ECR repository per app: scan on push, immutable tags, KMS encryption, lifecycle policy. */
export class Registry<App extends string> extends pulumi.ComponentResource {
  readonly repositoryUrls: Readonly<Record<App, pulumi.Output<string>>>;

  constructor(name: string, args: RegistryArgs<App>, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:data:Registry", name, {}, opts);
    const policy = ecrLifecyclePolicy(args.keepImages);
    const urls = args.apps.map((app) => {
      const repo = new aws.ecr.Repository(
        `${name}-${app}`,
        {
          name: repositoryName(args.namePrefix, app),
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
          tags: args.tags,
        },
        { parent: this },
      );
      new aws.ecr.LifecyclePolicy(`${name}-${app}`, { repository: repo.name, policy }, { parent: this });
      return [app, repo.repositoryUrl] as const;
    });
    this.repositoryUrls = Object.fromEntries(urls) as Record<App, pulumi.Output<string>>;
    this.registerOutputs({ repositoryUrls: this.repositoryUrls });
  }
}
