// When the next attempt of a delivery is due, and what an attempt's result means for the delivery.
// Pure: time and randomness come in as arguments.

/**
 * Exponential backoff with "equal jitter": attempt n (1-based) waits between half and all of
 * min(max, base * 2^(n-1)), so retries spread out without ever collapsing to zero.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type AttemptResult =
  | { ok: true; provider: string; ref?: string; response: string }
  | {
      ok: false;
      /** transient: timeouts, 429, 5xx, refused connections; permanent: the provider refused this message for good. */
      kind: "transient" | "permanent";
      provider: string;
      /** Short machine-readable code, e.g. smtp_550, http_410, connection_refused. */
      reason: string;
      detail: string;
      /** The provider asked for this much patience (Retry-After). */
      retryAfterMs?: number;
    };

export type NextStep =
  | { kind: "delivered" }
  | { kind: "retry"; at: Date; reason: string }
  | { kind: "dead"; dlqReason: "permanent_failure" | "attempts_exhausted"; reason: string; detail: string };

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/** `attempts` counts the attempt that produced `result`. */
export function nextStep(result: AttemptResult, attempts: number, maxAttempts: number, policy: RetryPolicy, now: Date, random: () => number = Math.random): NextStep {
  if (result.ok) return { kind: "delivered" };
  if (result.kind === "permanent") return { kind: "dead", dlqReason: "permanent_failure", reason: result.reason, detail: result.detail };
  if (attempts >= maxAttempts) return { kind: "dead", dlqReason: "attempts_exhausted", reason: result.reason, detail: `${attempts} attempts; last: ${result.detail}` };
  const wait = Math.max(backoffMs(attempts, policy.baseMs, policy.maxMs, random), Math.min(result.retryAfterMs ?? 0, policy.maxMs));
  return { kind: "retry", at: new Date(now.getTime() + wait), reason: result.reason };
}
