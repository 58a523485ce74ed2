/** Thanos objstore configuration for a prefix of an S3 bucket; no keys, the SDK uses the IRSA web identity. */
export function thanosObjstore(bucket: string, region: string, prefix: string): Record<string, unknown> {
  return { type: "S3", prefix, config: { bucket, region, endpoint: `s3.${region}.amazonaws.com` } };
}
