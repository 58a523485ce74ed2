// Newest-first pages over a `before` cursor: the cursors walked so far form a stack; Newer pops, Older pushes.
import { useState } from "react";

export interface CursorPages<C> {
  /** The cursor of the page on screen (null: the newest page). */
  readonly before: C | null;
  /** Back to the newest page (a new filter). */
  readonly reset: () => void;
  /** Undefined on the newest page. */
  readonly newer: (() => void) | undefined;
  readonly older: (next: C) => void;
}

export function useCursorPages<C>(): CursorPages<C> {
  const [pages, setPages] = useState<(C | null)[]>([null]);
  return {
    before: pages[pages.length - 1],
    reset: () => setPages([null]),
    newer: pages.length === 1 ? undefined : () => setPages(pages.slice(0, -1)),
    older: (next) => setPages([...pages, next]),
  };
}

/** The Newer/Older buttons; `next` is the API's cursor of the following page (null: this is the oldest). */
export function Pager<C>({ pages, next }: { pages: CursorPages<C>; next: C | null }) {
  return (
    <div className="pager">
      <button type="button" disabled={pages.newer === undefined} onClick={pages.newer}>Newer</button>
      <button type="button" disabled={next === null} onClick={() => next !== null && pages.older(next)}>Older</button>
    </div>
  );
}
