// Errors as GraphQL errors with a code in `extensions` (never a stack trace or SQL text).
import { GraphQLError } from "graphql";
import mercurius from "mercurius";
import { AuthError } from "../shared/auth";

/** UPSTREAM_UNAVAILABLE: a field served by another service (recommendations) failed; the rest of the answer stands. */
export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "QUERY_TOO_COSTLY" | "QUERY_TIMEOUT" | "UPSTREAM_UNAVAILABLE" | "INTERNAL";

const STATUS: Record<ErrorCode, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, QUERY_TOO_COSTLY: 400, QUERY_TIMEOUT: 503, UPSTREAM_UNAVAILABLE: 503, INTERNAL: 500 };

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Error {
  return new mercurius.ErrorWithProps(message, { code, ...extra }, STATUS[code]);
}

/** A bad argument, naming its path (e.g. `range.from`). */
export const badInput = (field: string, message: string): Error => apiError("BAD_USER_INPUT", `${field}: ${message}`, { field });

export function fromAuthError(err: AuthError): Error {
  return apiError(err.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN", err.message);
}

/** Maps what a resolver threw to what the client sees; anything unexpected becomes INTERNAL. */
export function publicError(err: GraphQLError, log: (e: unknown) => void): GraphQLError {
  const original = err.originalError;
  if (original === undefined || original === null) return err; // graphql's own (syntax, validation)
  if (original instanceof mercurius.ErrorWithProps) return err;
  if (original instanceof AuthError) return new GraphQLError(original.message, { path: err.path, extensions: { code: original.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN" } });
  if ((original as { code?: string }).code === "57014") {
    return new GraphQLError("the query took longer than the statement timeout; narrow the range or the breakdown", { path: err.path, extensions: { code: "QUERY_TIMEOUT" } });
  }
  if (err.extensions?.code !== undefined && !(original as { code?: string }).code) return err; // validation rules' own coded errors
  const status = (original as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return new GraphQLError(original.message, { extensions: { code: "BAD_USER_INPUT" } }); // e.g. a body that is not JSON
  log(original);
  return new GraphQLError("internal error", { path: err.path, extensions: { code: "INTERNAL" } });
}
