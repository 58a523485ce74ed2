// The users service's operator APIs through the dashboard's server (/dashboard/audit, /dashboard/api-keys, /dashboard/gdpr, /dashboard/ops).
import { useContext, useEffect, useState } from "react";
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

export type State<T> = { status: "idle" } | { status: "loading" } | { status: "error"; message: string } | { status: "ok"; data: T };

/** A GET of an operator API as state: loading, then the answer or its error; fetched again when `path` changes. */
export function useOperatorGet<T>(path: string): State<T> {
  const call = useOperator();
  const [state, setState] = useState<State<T>>({ status: "loading" });
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    call<T>(path).then(
      (data) => live && setState({ status: "ok", data }),
      (e: unknown) => live && setState({ status: "error", message: messageOf(e) }),
    );
    return () => {
      live = false;
    };
    // `call` reads the token when it runs: a new function each render must not refetch.
  }, [path]);
  return state;
}
