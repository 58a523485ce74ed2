// The platform's S3 client. In the cluster it talks to AWS S3 with the pod's IRSA role (the SDK's
// default credential chain reads the projected web identity token); locally and in tests it talks to
// an S3-compatible peer at S3_ENDPOINT (S3Proxy) with path-style addressing.
import { S3Client } from "@aws-sdk/client-s3";
import { str } from "../config";

type Env = Readonly<Record<string, string | undefined>>;

export interface S3Settings {
  /** Unset: AWS S3 in `region`. Set: an S3-compatible endpoint such as the local S3Proxy. */
  readonly endpoint?: string;
  readonly region: string;
  /** Static keys, for local peers only; unset: the SDK's default chain (IRSA in the cluster, AWS_* env). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Server-side encryption for every object written: SSE-KMS with the platform's data key in production. */
export type Encryption = { readonly kind: "bucket-default" } | { readonly kind: "sse-kms"; readonly keyId: string };

export function loadS3Settings(env: Env = process.env): S3Settings {
  const endpoint = str(env, "S3_ENDPOINT", "");
  return { endpoint: endpoint === "" ? undefined : endpoint, region: str(env, "AWS_REGION", "us-east-1") };
}

export function loadEncryption(env: Env = process.env): Encryption {
  const keyId = str(env, "ARCHIVES_KMS_KEY_ID", "");
  return keyId === "" ? { kind: "bucket-default" } : { kind: "sse-kms", keyId };
}

/** The headers PutObject / CreateMultipartUpload take for `enc`. */
export function encryptionParams(enc: Encryption): { ServerSideEncryption?: "aws:kms"; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean } {
  // The S3 Bucket Key cuts KMS requests (and their cost) by deriving object keys from one bucket-level key.
  return enc.kind === "sse-kms" ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: enc.keyId, BucketKeyEnabled: true } : {};
}

export function createS3Client(s: S3Settings): S3Client {
  if (s.endpoint === undefined) return new S3Client({ region: s.region });
  return new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    ...(s.credentials === undefined ? {} : { credentials: s.credentials }),
    forcePathStyle: true,
    // S3-compatible peers may predate the SDK's default CRC32 "flexible checksums" headers
    // (S3Proxy 2.6.0 answers 501 to them); our own SHA-256 per object is verified by reading back.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
