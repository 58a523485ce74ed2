// A player's export or erasure (admins), then the regulation job's progress per store, polled each second.
import { useEffect, useState } from "react";
import { messageOf, useOperator } from "../operator";

interface StoreStatus {
  store: string;
  status: string;
  attempts: number;
  lastError: string | null;
  removed: number | null;
  exported: number | null;
}

interface RequestStatus {
  requestId: string;
  kind: "export" | "erase";
  status: string;
  stores: StoreStatus[];
}

const FINAL = new Set(["done", "failed"]);

export function Gdpr({ game, player }: { game: string; player: string }) {
  const call = useOperator();
  const [requestId, setRequestId] = useState<string | null>(null);
  const [status, setStatus] = useState<RequestStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const start = (kind: "export" | "erase") => {
    setProblem(null);
    setConfirming(false);
    call<{ requestId: string }>(`/gdpr/players/${encodeURIComponent(game)}/${encodeURIComponent(player)}/${kind}`, { method: "POST" }).then((r) => {
      setStatus(null);
      setRequestId(r.requestId);
    }, (e: unknown) => setProblem(messageOf(e)));
  };
  useEffect(() => {
    if (requestId === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const poll = () =>
      call<RequestStatus>(`/gdpr/requests/${requestId}`).then((s) => {
        if (!live) return;
        setStatus(s);
        if (!FINAL.has(s.status)) timer = setTimeout(poll, 1000);
      }, (e: unknown) => live && setProblem(messageOf(e)));
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `call` reads the token when it runs.
  }, [requestId]);
  return (
    <section aria-labelledby="gdpr-h">
      <h3 id="gdpr-h">Data requests (GDPR)</h3>
      <div className="inline">
        <button type="button" onClick={() => start("export")}>Export data</button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={() => start("erase")}>Confirm erasure of {player}</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </>
        ) : <button type="button" onClick={() => setConfirming(true)}>Erase player…</button>}
      </div>
      {problem === null ? null : <p className="state error" role="alert">{problem}</p>}
      {requestId === null ? null : status === null ? <p className="state" role="status">Starting…</p> : (
        <>
          <p role="status" aria-live="polite" data-testid="gdpr-status">{status.kind} {status.requestId}: {status.status}</p>
          <table aria-label="Progress per store">
            <thead><tr><th scope="col">Store</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Rows</th><th scope="col">Last error</th></tr></thead>
            <tbody>
              {status.stores.map((s) => (
                <tr key={s.store} data-store={s.store}><th scope="row">{s.store}</th><td>{s.status}</td><td>{s.attempts}</td><td>{s.removed ?? s.exported ?? "–"}</td><td>{s.lastError ?? ""}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
