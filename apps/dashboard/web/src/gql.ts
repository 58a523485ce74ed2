// GraphQL to the analytics API through the dashboard's server: persisted queries over HTTP (the hash
// of a text in apps/shared/dashboard-queries.ts) and live counters over graphql-ws.
import { createClient, type Client } from "graphql-ws";
import { DASHBOARD_QUERIES, type DashboardQuery } from "../../../shared/dashboard-queries";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const hashes = new Map<string, Promise<string>>();
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
const hashOf = (q: DashboardQuery): Promise<string> => {
  let h = hashes.get(q);
  if (h === undefined) hashes.set(q, (h = sha256(DASHBOARD_QUERIES[q])));
  return h;
};

export type TokenSource = () => Promise<string>;

export async function query<T>(path: string, token: TokenSource, q: DashboardQuery, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  const r = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
    body: JSON.stringify({ persisted: true, query: await hashOf(q), variables }),
    signal,
  });
  const body = (await r.json().catch(() => ({}))) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const first = body.errors?.[0];
  if (first !== undefined) throw new ApiError(first.message, first.extensions?.code ?? "INTERNAL");
  if (!r.ok || body.data == null) throw new ApiError(`the analytics API answered HTTP ${r.status}`, "INTERNAL");
  return body.data;
}

/** One WebSocket per page; the token is sent in connection_init (browsers cannot set headers on an upgrade). */
export function liveClient(path: string, token: TokenSource): Client {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
  return createClient({ url, connectionParams: async () => ({ authorization: `Bearer ${await token()}` }), retryAttempts: 5, lazy: true });
}
