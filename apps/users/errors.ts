import type { FastifyError } from "fastify";
import { AuthError } from "../shared/auth";
import { ApiError } from "../shared/api-error";

export { ApiError };

const PG_CONFLICT = "23505";
const PG_CHECK = "23514";
const PG_FK = "23503";

/** Any error raised while serving an API request as its status and JSON body (pure). */
export function apiErrorReply(err: Error): { status: number; body: { error: string; message: string; details?: unknown } } {
  if (err instanceof ApiError) return { status: err.status, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof AuthError) return { status: err.status, body: { error: err.code, message: err.message } };
  const f = err as FastifyError & { code?: string; constraint?: string };
  if (f.validation !== undefined) {
    const details = f.validation.map((v) => ({ path: v.instancePath === "" ? "/" : v.instancePath, message: v.message ?? "is invalid" }));
    return { status: 400, body: { error: "invalid_request", message: "the request does not match the schema", details } };
  }
  if (f.code === PG_CONFLICT) return { status: 409, body: { error: "conflict", message: `already exists (${f.constraint ?? "unique key"})` } };
  if (f.code === PG_CHECK) return { status: 400, body: { error: "invalid_request", message: `a value is out of range (${f.constraint ?? "check"})` } };
  if (f.code === PG_FK) return { status: 404, body: { error: "not_found", message: `a referenced record does not exist (${f.constraint ?? "foreign key"})` } };
  const status = f.statusCode !== undefined && f.statusCode >= 400 && f.statusCode < 500 ? f.statusCode : 500;
  return { status, body: { error: status === 500 ? "internal" : "bad_request", message: status === 500 ? "internal error" : err.message } };
}
