// The users service's operator APIs through the dashboard's server (/dashboard/audit, /dashboard/api-keys).
import { useContext } from "react";
import { BASE_PATH } from "./config";
import { Api } from "./context";

export type Call = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

export function useOperator(): Call {
  const api = useContext(Api);
  return async <T,>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await api.token()}` };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const r = await fetch(`${BASE_PATH}${path}`, { method: init.method ?? "GET", headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    const text = await r.text();
    const body = (text === "" ? {} : JSON.parse(text)) as T & { message?: string };
    if (!r.ok) throw new Error(body.message ?? `the users service answered HTTP ${r.status}`);
    return body;
  };
}

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
