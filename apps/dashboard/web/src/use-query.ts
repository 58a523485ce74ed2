// A persisted query as React state: loading, then data or the API's error; refetched when its variables change.
import { useContext, useEffect, useState } from "react";
import type { DashboardQuery } from "../../../shared/dashboard-queries";
import { Api } from "./context";
import { query } from "./gql";

export type Loaded<T> = { status: "loading" } | { status: "error"; error: Error } | { status: "ok"; data: T };

export function useQuery<T>(q: DashboardQuery, variables: Record<string, unknown> | null): Loaded<T> {
  const api = useContext(Api);
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const key = variables === null ? null : JSON.stringify(variables);
  useEffect(() => {
    if (key === null) return;
    const abort = new AbortController();
    setState({ status: "loading" });
    query<T>(api.graphqlPath, api.token, q, JSON.parse(key) as Record<string, unknown>, abort.signal).then(
      (data) => setState({ status: "ok", data }),
      (error: unknown) => abort.signal.aborted || setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => abort.abort();
  }, [api, q, key]);
  return state;
}
