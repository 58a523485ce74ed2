/**
 * A deliberate API answer: status, stable error code, human message, optional field errors and
 * headers (Retry-After on a 503). Each service maps it, and the errors it does not own, to a reply.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
