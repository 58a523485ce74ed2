import type { ErrorObject } from "ajv";
import { FieldError, isUnknownType, toFieldErrors } from "../shared/events/validate";
import { ApiError } from "../shared/api-error";

export { ApiError };

export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: ErrorObject[];
}

const BY_CODE: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "unsupported_media_type", "send the body as application/json"],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "payload_too_large", "the body is over the size limit of this endpoint"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "empty_body", "the body is empty; send a JSON document"],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "malformed_json", "the body is not valid JSON"],
  Z_DATA_ERROR: [400, "malformed_gzip", "the body is not valid gzip"],
  Z_BUF_ERROR: [400, "malformed_gzip", "the gzip body is truncated"],
};

/** Maps any error raised while serving a request to its status and JSON body (pure). */
export function errorReply(err: FastifyLikeError): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (err instanceof ApiError) {
    return { status: err.status, body: { error: err.code, message: err.message, details: err.details }, headers: err.headers };
  }
  if (err.validation !== undefined) {
    const details: FieldError[] = toFieldErrors(err.validation);
    const unknownType = err.validation.some(isUnknownType);
    return {
      status: 422,
      body: unknownType
        ? { error: "unknown_event_type", message: "the event type is not in the catalog", details }
        : { error: "invalid_event", message: "the body does not match the event schema", details },
      headers: {},
    };
  }
  const known = err.code === undefined ? undefined : BY_CODE[err.code];
  if (known !== undefined) return { status: known[0], body: { error: known[1], message: known[2] }, headers: {} };
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return { status: 400, body: { error: "malformed_json", message: `the body is not valid JSON: ${err.message}` }, headers: {} };
  }
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  return { status, body: { error: status === 500 ? "internal" : "bad_request", message: status === 500 ? "internal error" : err.message }, headers: {} };
}
