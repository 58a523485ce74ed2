// The client's errors nest (a produce fails because one broker answered TOPIC_AUTHORIZATION_FAILED);
// logs and tools need the whole chain in one line.

interface Nested {
  message?: string;
  apiId?: string;
  serverErrorMessage?: string | null;
  errors?: unknown[];
  cause?: unknown;
}

/** "Producing messages failed. <- Received response ... <- TOPIC_AUTHORIZATION_FAILED: ..." */
export function describeKafkaError(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (e === null || typeof e !== "object" || seen.has(e)) return;
    seen.add(e);
    const n = e as Nested;
    const text = n.apiId !== undefined ? `${n.apiId}${n.serverErrorMessage ? ` (${n.serverErrorMessage})` : ""}: ${n.message ?? ""}` : (n.message ?? String(e));
    if (!parts.includes(text)) parts.push(text);
    for (const inner of n.errors ?? []) walk(inner);
    walk(n.cause);
  };
  walk(err);
  return parts.join(" <- ");
}
