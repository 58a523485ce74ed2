// Helpers over a capture: the resources a component owns (its whole subtree) and lookups by type/name.
import type { Capture, CapturedResource } from "../../infra/tools/capture";

/** Every resource below the component `type::name`, at any depth. */
export function descendants(capture: Capture, root: string): CapturedResource[] {
  const owned = new Set([root]);
  const result: CapturedResource[] = [];
  // Registration order puts parents first, so one pass in order collects the subtree.
  for (const r of capture.resources) {
    if (r.parent !== undefined && owned.has(r.parent)) {
      owned.add(`${r.type}::${r.name}`);
      result.push(r);
    }
  }
  return result;
}

export function ofType(resources: readonly CapturedResource[], type: string): CapturedResource[] {
  return resources.filter((r) => r.type === type);
}

export function named(resources: readonly CapturedResource[], type: string, name: string): CapturedResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (found === undefined) throw new Error(`no ${type} named ${name} in the capture`);
  return found;
}

/** AWS types that take no tags: everything else under aws: must carry the platform tags. */
const UNTAGGABLE = new Set([
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:kms/alias:Alias",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:secretsmanager/secretVersion:SecretVersion",
]);

/** AWS resources and remote AWS components (eks:) that must be tagged. */
export function taggable(resources: readonly CapturedResource[]): CapturedResource[] {
  return resources.filter((r) => (r.type.startsWith("aws:") || r.type.startsWith("eks:")) && !UNTAGGABLE.has(r.type));
}
