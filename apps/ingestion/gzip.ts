import { Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { ApiError } from "./errors";

/**
 * Inflates a gzip body and stops inflating at `limit` bytes of output: the decompressor is
 * destroyed there, so a small bomb costs at most `limit` bytes of work, not its full expansion.
 * `receivedEncodedLength` lets fastify check Content-Length against the compressed bytes.
 */
export function gunzipWithin(payload: NodeJS.ReadableStream, limit: number): Transform {
  const gunzip = createGunzip();
  let out = 0;
  const bounded: Transform & { receivedEncodedLength?: number } = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      out += chunk.length;
      if (out > limit) {
        gunzip.destroy();
        payload.unpipe(gunzip);
        return done(new ApiError(413, "payload_too_large", `the decompressed body is over the ${limit} byte limit of this endpoint`));
      }
      done(null, chunk);
    },
  });
  bounded.receivedEncodedLength = 0;
  payload.on("data", (chunk: Buffer) => (bounded.receivedEncodedLength = (bounded.receivedEncodedLength ?? 0) + chunk.length));
  gunzip.on("error", (err) => bounded.destroy(err));
  payload.pipe(gunzip).pipe(bounded);
  return bounded;
}
