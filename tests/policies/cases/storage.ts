import { tlsOnlyPolicy } from "../../../infra/data/bucket-rules";
import { one, res, type RuleCase, type Stack, TAGS } from "./support";

/** A bucket and its v7 sub-resources the way the SecureBucket component registers them. */
function bucketStack(name: string, omit: readonly string[] = [], patches: Record<string, Record<string, unknown>> = {}): Stack {
  const parent = `gamemetrics:data:SecureBucket::${name}`;
  const parts: [string, Record<string, unknown>][] = [
    ["aws:s3/bucket:Bucket", { tags: TAGS }],
    ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: `${name}-id`, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }],
    [
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      { bucket: `${name}-id`, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "key" }, bucketKeyEnabled: true }] },
    ],
    ["aws:s3/bucketPolicy:BucketPolicy", { bucket: `${name}-id`, policy: tlsOnlyPolicy(`arn:aws:s3:::${name}`) }],
    ["aws:s3/bucketVersioning:BucketVersioning", { bucket: `${name}-id`, versioningConfiguration: { status: "Enabled" } }],
    ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: `${name}-id`, rules: [{ id: "abort", status: "Enabled", filter: {} }] }],
  ];
  return parts
    .filter(([type]) => !omit.some((o) => type.includes(o)))
    .map(([type, inputs]) => res(type, { ...inputs, ...(patches[type.split(":")[2]] ?? {}) }, name, parent));
}

/** Sub-resources linked by the bucket's explicit name instead of the logical name or parent. */
const byExplicitName: Stack = [
  res("aws:s3/bucketV2:BucketV2", { bucket: "gm-archives", tags: TAGS }, "archives"),
  res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "gm-archives", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, "pab"),
];

/** Sub-resources linked by sharing the bucket's parent component (names differ). */
const byParent: Stack = [
  res("aws:s3/bucket:Bucket", { tags: TAGS }, "bucket", "gamemetrics:data:SecureBucket::media"),
  res(
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    { bucket: "bucket-id-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    "access-block",
    "gamemetrics:data:SecureBucket::media",
  ),
];

const REPO = "aws:ecr/repository:Repository";
const repo = (inputs: Record<string, unknown>) => res(REPO, { name: "gamemetrics-prod/ingestion", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, tags: TAGS, ...inputs }, "ecr-ingestion");

export const STORAGE_CASES: Record<string, RuleCase> = {
  "s3-public-access-block": {
    pass: [bucketStack("backups"), byExplicitName, byParent],
    fail: [
      bucketStack("backups", ["PublicAccessBlock"]),
      bucketStack("logs", [], { BucketPublicAccessBlock: { restrictPublicBuckets: false } }),
      [byExplicitName[0], res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "other", blockPublicAcls: true }, "pab")],
    ],
  },
  "s3-sse-kms": {
    pass: [bucketStack("logs")],
    fail: [
      bucketStack("logs", ["ServerSideEncryption"]),
      bucketStack("logs", [], { BucketServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } }),
    ],
  },
  "s3-lifecycle": {
    pass: [bucketStack("logs")],
    fail: [bucketStack("logs", ["Lifecycle"]), bucketStack("logs", [], { BucketLifecycleConfiguration: { rules: [{ id: "x", status: "Disabled" }] } })],
  },
  "s3-versioning-backups": {
    pass: [bucketStack("backups"), bucketStack("logs", ["Versioning"])],
    fail: [bucketStack("backups", ["Versioning"]), bucketStack("gm-archives", [], { BucketVersioning: { versioningConfiguration: { status: "Suspended" } } })],
  },
  "s3-tls-only": {
    pass: [bucketStack("logs")],
    fail: [
      bucketStack("logs", ["BucketPolicy"]),
      bucketStack("logs", [], { BucketPolicy: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] }) } }),
    ],
  },
  "ecr-scan-on-push": { pass: one(repo({})), fail: one(repo({ imageScanningConfiguration: { scanOnPush: false } }), repo({ imageScanningConfiguration: undefined })) },
  "ecr-immutable-tags": { pass: one(repo({})), fail: one(repo({ imageTagMutability: "MUTABLE" }), repo({ imageTagMutability: undefined })) },
  "ecr-lifecycle-policy": {
    pass: [
      [repo({}), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository: "gamemetrics-prod/ingestion", policy: "{}" }, "other")],
      [repo({}), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository: "x", policy: "{}" }, "ecr-ingestion")],
    ],
    fail: [[repo({})], [repo({}), res("aws:ecr/lifecyclePolicy:LifecyclePolicy", { repository: "gamemetrics-prod/users", policy: "{}" }, "ecr-users")]],
  },
};
