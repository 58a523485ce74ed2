// Loading, empty and error states: every data view goes through one of these, so no page breaks when a
// metric has no data or the API refuses.
import type { ReactNode } from "react";
import type { Loaded } from "../use-query";

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ what }: { what: string }) {
  return <p className="state empty">No {what} in this range.</p>;
}

export function Failed({ error }: { error: Error }) {
  return (
    <p className="state error" role="alert">
      Could not load: {error.message}
    </p>
  );
}

/** Renders `children` with the data once loaded; `isEmpty` decides when to show the empty state instead. */
export function View<T>({ state, what, isEmpty, children }: { state: Loaded<T>; what: string; isEmpty: (d: T) => boolean; children: (d: T) => ReactNode }) {
  if (state.status === "loading") return <Loading what={what} />;
  if (state.status === "error") return <Failed error={state.error} />;
  if (isEmpty(state.data)) return <Empty what={what} />;
  return <>{children(state.data)}</>;
}
