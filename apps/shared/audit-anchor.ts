// The audit chain head, anchored outside the database: an object per anchor in the archives bucket
// under S3 Object Lock (COMPLIANCE retention), which no one, the account root included, can change
// or delete before it expires. A database admin who rewrites the whole chain (every hash recomputed,
// so verifyAuditChain alone passes) cannot make the anchored row's hash match again.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Pool } from "pg";
import { verifyAuditChain } from "./audit";
import { str } from "./config";

export interface Anchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

export interface AnchorTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Prefix in the bucket (the users service's IRSA role may write only there). */
  readonly prefix: string;
  readonly retentionDays: number;
}

/** AWS S3 with the SDK's default credentials (IRSA in the cluster); S3_ENDPOINT points it at a local peer. */
export function anchorS3Client(env: Readonly<Record<string, string | undefined>> = process.env): S3Client {
  const endpoint = str(env, "S3_ENDPOINT", "");
  return new S3Client({ region: str(env, "AWS_REGION", "us-east-1"), ...(endpoint === "" ? {} : { endpoint, forcePathStyle: true }) });
}

/** Pure: anchors sort by key in chain order (zero-padded seq), so the newest is the last listed. */
export function anchorKey(prefix: string, seq: number): string {
  return `${prefix.replace(/\/$/, "")}/chain-head-${String(seq).padStart(20, "0")}.json`;
}

/** Pure: an anchor against the row the database now has at its seq. */
export function judgeAnchor(anchor: Anchor, rowHash: string | undefined): { ok: true } | { ok: false; reason: string } {
  if (rowHash === undefined) return { ok: false, reason: `row ${anchor.seq}, anchored at ${anchor.at}, is gone from the database` };
  if (rowHash !== anchor.hash) return { ok: false, reason: `row ${anchor.seq} has hash ${rowHash}, but ${anchor.hash} was anchored at ${anchor.at}: history was rewritten` };
  return { ok: true };
}

export async function latestAnchor(t: Pick<AnchorTarget, "s3" | "bucket" | "prefix">): Promise<Anchor | undefined> {
  let last: string | undefined;
  let token: string | undefined;
  do {
    const page = await t.s3.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: `${t.prefix.replace(/\/$/, "")}/chain-head-`, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined && (last === undefined || o.Key > last)) last = o.Key;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  if (last === undefined) return undefined;
  const body = await (await t.s3.send(new GetObjectCommand({ Bucket: t.bucket, Key: last }))).Body?.transformToString();
  return JSON.parse(body ?? "null") as Anchor;
}

/** Checks the database against the newest anchor (none yet: nothing to check). */
export async function checkLatestAnchor(pool: Pool, t: Pick<AnchorTarget, "s3" | "bucket" | "prefix">): Promise<{ ok: true; anchor?: Anchor } | { ok: false; reason: string }> {
  const anchor = await latestAnchor(t);
  if (anchor === undefined) return { ok: true };
  const { rows } = await pool.query<{ hash: string }>("SELECT hash FROM audit_log WHERE seq = $1", [anchor.seq]);
  const verdict = judgeAnchor(anchor, rows[0]?.hash);
  return verdict.ok ? { ok: true, anchor } : verdict;
}

/**
 * Verifies the chain, checks it against the newest anchor, then anchors the current head under a
 * COMPLIANCE retention. Refuses (and writes nothing) when either check fails, so a broken chain is
 * never blessed by a newer anchor.
 */
export async function anchorChainHead(pool: Pool, t: AnchorTarget, now = new Date()): Promise<{ anchored?: Anchor; problem?: string }> {
  const chain = await verifyAuditChain(pool);
  if (!chain.ok) return { problem: `audit chain broken at row ${chain.brokenAt}: ${chain.reason}` };
  const previous = await checkLatestAnchor(pool, t);
  if (!previous.ok) return { problem: previous.reason };
  if (chain.entries === 0 || previous.anchor?.seq === chain.entries) return {};
  const anchor: Anchor = { seq: chain.entries, hash: chain.head, at: now.toISOString() };
  await t.s3.send(
    new PutObjectCommand({
      Bucket: t.bucket,
      Key: anchorKey(t.prefix, anchor.seq),
      Body: JSON.stringify(anchor),
      ContentType: "application/json",
      ObjectLockMode: "COMPLIANCE",
      ObjectLockRetainUntilDate: new Date(now.getTime() + t.retentionDays * 86_400_000),
      // S3 requires an integrity checksum on uploads with an Object Lock retention.
      ChecksumAlgorithm: "SHA256",
    }),
  );
  return { anchored: anchor };
}
