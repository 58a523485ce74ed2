// Object operations the archive code needs, over any S3 API: multipart-capable writes with
// encryption, whole-object reads with their SHA-256, listing, and deletion of every version of a key.
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { encryptionParams, type Encryption } from "./client";

export interface Bucket {
  readonly s3: S3Client;
  readonly name: string;
  readonly encryption: Encryption;
}

export interface Written {
  readonly key: string;
  readonly versionId?: string;
}

/** S3's minimum part size; bodies up to this size go in one PutObject, larger ones as a multipart upload. */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

/** Writes `body`; large or streamed bodies go up as a multipart upload (aborted on failure, never half-visible). */
export async function putObject(b: Bucket, key: string, body: Buffer | Readable, contentType: string): Promise<Written> {
  const upload = new Upload({
    client: b.s3,
    params: { Bucket: b.name, Key: key, Body: body, ContentType: contentType, ...encryptionParams(b.encryption) },
    partSize: MULTIPART_PART_BYTES,
    queueSize: 2,
    leavePartsOnError: false,
  });
  const out = await upload.done();
  return { key, versionId: out.VersionId };
}

const isMissing = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
};

export interface ObjectBytes {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly versionId?: string;
}

/** The object's bytes and their SHA-256, or undefined when the key does not exist. */
export async function getObject(b: Bucket, key: string): Promise<ObjectBytes | undefined> {
  try {
    const out = await b.s3.send(new GetObjectCommand({ Bucket: b.name, Key: key }));
    const bytes = Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    return { bytes, sha256: sha256Hex(bytes), versionId: out.VersionId };
  } catch (err) {
    if (isMissing(err)) return undefined;
    // GLACIER / DEEP_ARCHIVE objects need a RestoreObject (hours) before they can be read.
    if ((err as { name?: string }).name === "InvalidObjectState") {
      throw new Error(`${key} is in an archive storage class that cannot be read directly; restore it first, or transition archives to GLACIER_IR (readable at once)`);
    }
    throw err;
  }
}

export const sha256Hex = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

/** Every object key under `prefix`; "folder" keys ending in / (S3Proxy's filesystem directories, console folders) are not objects. */
export async function listKeys(b: Bucket, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await b.s3.send(new ListObjectsV2Command({ Bucket: b.name, Prefix: prefix, ContinuationToken: token }));
    for (const c of out.Contents ?? []) if (c.Key !== undefined && !c.Key.endsWith("/")) keys.push(c.Key);
    token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

/**
 * "versioned": the bucket keeps noncurrent versions (Enabled or Suspended), so deleting data means
 * deleting each version. "single": every key has one version (versioning never enabled, or an
 * S3-compatible peer without versioning: S3Proxy 2.6.0 answers 501 NotImplemented).
 */
export type Versioning = "versioned" | "single";

export async function bucketVersioning(b: Bucket): Promise<Versioning> {
  try {
    const out = await b.s3.send(new GetBucketVersioningCommand({ Bucket: b.name }));
    return out.Status === "Enabled" || out.Status === "Suspended" ? "versioned" : "single";
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501) return "single";
    throw err;
  }
}

interface Version {
  readonly versionId: string;
  readonly isLatest: boolean;
}

async function versionsOf(b: Bucket, key: string): Promise<Version[]> {
  const found: Version[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const out = await b.s3.send(new ListObjectVersionsCommand({ Bucket: b.name, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    for (const v of [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]) {
      // The prefix also matches longer keys (part-1 matches part-10): keep this key only.
      if (v.Key === key && v.VersionId !== undefined) found.push({ versionId: v.VersionId, isLatest: v.IsLatest === true });
    }
    if (out.IsTruncated !== true) return found;
    keyMarker = out.NextKeyMarker;
    versionMarker = out.NextVersionIdMarker;
  }
}

/**
 * Deletes the versions of `key` other than the current one (`keep: "current"`), or all of them
 * (`keep: "none"`), delete markers included; returns how many versions were deleted.
 */
export async function deleteVersions(b: Bucket, versioning: Versioning, key: string, keep: "current" | "none"): Promise<number> {
  if (versioning === "single") {
    if (keep === "current") return 0;
    await b.s3.send(new DeleteObjectCommand({ Bucket: b.name, Key: key }));
    return 1;
  }
  let deleted = 0;
  for (const v of await versionsOf(b, key)) {
    if (keep === "current" && v.isLatest) continue;
    await b.s3.send(new DeleteObjectCommand({ Bucket: b.name, Key: key, VersionId: v.versionId }));
    deleted += 1;
  }
  return deleted;
}

/** Every version of `key` still stored (versioned buckets); for checks that nothing old survived. */
export async function versionCount(b: Bucket, versioning: Versioning, key: string): Promise<number> {
  if (versioning === "single") return (await getObject(b, key)) === undefined ? 0 : 1;
  return (await versionsOf(b, key)).length;
}
