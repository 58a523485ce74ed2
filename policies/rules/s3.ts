import { ALWAYS, subjectRule, typeMatcher } from "../engine/define";
import { statementsOf } from "../engine/iam";
import { arr, at, bool, obj, str } from "../engine/inputs";
import type { PolicyResource, Rule, RuleInfo, StackRule } from "../engine/types";

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const isBucket = typeMatcher(BUCKET_TYPES);
/** Buckets whose objects cannot be regenerated: versioning required. */
const MUST_VERSION = /backup|archive/i;

/**
 * The bucket a sub-resource (access block, encryption, policy...) configures: same logical name
 * (the component convention), else the only bucket under the same parent, else its `bucket` input
 * equals the bucket's explicit name. Name and parent come first: `bucket` may be unknown at preview.
 */
function belongsTo(sub: PolicyResource, bucket: PolicyResource, all: readonly PolicyResource[]): boolean {
  if (sub.name === bucket.name) return true;
  if (sub.parent !== undefined && sub.parent === bucket.parent && all.filter((r) => isBucket(r.type) && r.parent === sub.parent).length === 1) {
    return true;
  }
  const explicit = str(bucket.inputs["bucket"]);
  return explicit !== undefined && sub.inputs["bucket"] === explicit;
}

type BucketCheck = (bucket: PolicyResource, companions: readonly PolicyResource[]) => string | undefined;

/** A stack rule, on every tier, that checks each bucket against its companion resources of the given types. */
function bucketRule(def: Omit<RuleInfo, "levels"> & { companions: readonly string[]; check: BucketCheck }): StackRule {
  const { companions, check, ...info } = def;
  const isCompanion = typeMatcher(companions);
  return subjectRule({
    ...info,
    levels: ALWAYS,
    subjects: BUCKET_TYPES,
    companions,
    check: (bucket, resources) => check(bucket, resources.filter((c) => isCompanion(c.type) && belongsTo(c, bucket, resources))),
  });
}

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

const publicAccessBlock = bucketRule({
  name: "s3-public-access-block",
  description: "Every bucket has a public access block with all four settings on.",
  remediation: "Create buckets with the SecureBucket component (infra/data/bucket.ts).",
  companions: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  check: (_, blocks) => {
    if (blocks.length === 0) return "no public access block";
    const off = PAB_FLAGS.filter((f) => !blocks.some((b) => bool(b.inputs[f]) === true));
    return off.length > 0 ? `public access block leaves off: ${off.join(", ")}` : undefined;
  },
});

const sseKms = bucketRule({
  name: "s3-sse-kms",
  description: "Every bucket encrypts objects by default with SSE-KMS.",
  remediation: "Add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and the data key.",
  companions: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  check: (_, configs) => {
    const algorithms = configs.flatMap((c) => arr(c.inputs["rules"]).map((r) => at(r, "applyServerSideEncryptionByDefault.sseAlgorithm")));
    return algorithms.some((a) => a === "aws:kms" || a === "aws:kms:dsse") ? undefined : "no SSE-KMS default encryption";
  },
});

const lifecycle = bucketRule({
  name: "s3-lifecycle",
  description: "Every bucket has an enabled lifecycle rule (expiry, noncurrent versions or transitions).",
  remediation: "Give the bucket lifecycle rules per tier (infra/data/bucket-rules.ts lifecycleRules).",
  companions: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
  check: (_, configs) =>
    configs.some((c) => arr(c.inputs["rules"]).some((r) => obj(r)?.["status"] === "Enabled")) ? undefined : "no enabled lifecycle rule",
});

const versioning = bucketRule({
  name: "s3-versioning-backups",
  description: "Backup and archive buckets have versioning enabled.",
  remediation: "Mark the bucket kind as versioned (infra/data/bucket-rules.ts VERSIONED).",
  companions: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  check: (bucket, configs) => {
    const label = `${bucket.name} ${str(bucket.inputs["bucket"]) ?? ""}`;
    if (!MUST_VERSION.test(label)) return undefined;
    return configs.some((c) => at(c.inputs, "versioningConfiguration.status") === "Enabled") ? undefined : "backup/archive bucket without versioning";
  },
});

/** A Deny on aws:SecureTransport=false (given as a string or a boolean). */
function deniesInsecureTransport(document: unknown): boolean {
  return statementsOf(document).some((s) => {
    const secure = obj(obj(s["Condition"])?.["Bool"])?.["aws:SecureTransport"];
    return s["Effect"] === "Deny" && [secure].flat().map(String).includes("false");
  });
}

const tlsOnly = bucketRule({
  name: "s3-tls-only",
  description: "Every bucket policy denies requests that do not use TLS (aws:SecureTransport false).",
  remediation: "Attach the tlsOnlyPolicy bucket policy (infra/data/bucket-rules.ts).",
  companions: ["aws:s3/bucketPolicy:BucketPolicy"],
  check: (_, policies) => (policies.some((p) => deniesInsecureTransport(p.inputs["policy"])) ? undefined : "no bucket policy denying non-TLS requests"),
});

export const S3_RULES: readonly Rule[] = [publicAccessBlock, sseKms, lifecycle, versioning, tlsOnly];
