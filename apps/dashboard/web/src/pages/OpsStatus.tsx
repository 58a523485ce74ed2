// The event path's status (admins of every game): consumer lag per group and topic, and the ingestion
// error ratio over the last 5 minutes, refreshed every 10 s. Each part shows its own loading, no-data
// and error state: Kafka away leaves the error ratio on the page, and the other way round.
import { useEffect, useState } from "react";
import { count, percent } from "../format";
import { messageOf, type State, useOperator } from "../operator";

type Part<T> = ({ ok: true } & T) | { ok: false; error: string };

interface GroupLag {
  group: string;
  state: string;
  topics: { topic: string; lag: number; partitions: { partition: number; committed: string; end: string; lag: number }[] }[];
}

interface ErrorRatio {
  ratio: number | null;
  rejected: number;
  received: number;
  windowSeconds: number;
  source: "prometheus" | "scrape";
}

interface Status {
  at: string;
  lag: Part<{ groups: GroupLag[] }>;
  errorRatio: Part<{ source: string; value: ErrorRatio | null; why?: string }>;
}

const SOURCE = { prometheus: "Prometheus", scrape: "this service's scrapes of ingestion /metrics", none: "no source" } as Record<string, string>;
const REFRESH_MS = 10_000;

export function OpsStatus() {
  const call = useOperator();
  const [status, setStatus] = useState<State<Status>>({ status: "loading" });
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      call<Status>("/ops/status")
        .then((data) => live && setStatus({ status: "ok", data }), (e: unknown) => live && setStatus({ status: "error", message: messageOf(e) }))
        .finally(() => {
          if (live) timer = setTimeout(load, REFRESH_MS);
        });
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `call` reads the token when it runs.
  }, []);
  if (status.status === "loading" || status.status === "idle") return <section aria-labelledby="status-h"><h2 id="status-h">Event path</h2><p className="state" role="status">Loading the status…</p></section>;
  if (status.status === "error") return <section aria-labelledby="status-h"><h2 id="status-h">Event path</h2><p className="state error" role="alert">Could not load the status: {status.message}</p></section>;
  const { lag, errorRatio, at } = status.data;
  const ratio = errorRatio.ok ? errorRatio.value : null;
  return (
    <section aria-labelledby="status-h">
      <h2 id="status-h">Event path <span className="hint">as of {at}</span></h2>
      <dl className="tiles">
        <div className="tile" data-metric="error-ratio">
          <dt>Ingestion error ratio (5 min)</dt>
          <dd>{errorRatio.ok ? percent(ratio?.ratio) : "–"}</dd>
        </div>
      </dl>
      <p className="hint" data-testid="error-ratio-note">
        {!errorRatio.ok ? `Could not read the error ratio: ${errorRatio.error}`
          : ratio === null || ratio.ratio === null ? `No data: ${errorRatio.why ?? "nothing to compute"}`
          : `${count(ratio.rejected)} of ${count(ratio.received)} events rejected over ${ratio.windowSeconds} s, from ${SOURCE[ratio.source]}`}
      </p>
      {!lag.ok ? <p className="state error" role="alert">Could not read consumer lag: {lag.error}</p>
        : lag.groups.length === 0 ? <p className="state empty">No consumer group has committed offsets yet.</p>
        : (
          <table aria-label="Consumer lag per group and topic">
            <thead><tr><th scope="col">Group</th><th scope="col">State</th><th scope="col">Topic</th><th scope="col">Lag (records)</th><th scope="col">Per partition</th></tr></thead>
            <tbody>
              {lag.groups.flatMap((g) =>
                (g.topics.length === 0 ? [{ topic: "–", lag: null, partitions: [] }] : g.topics).map((t) => (
                  <tr key={`${g.group} ${t.topic}`} data-group={g.group} data-topic={t.topic}>
                    <th scope="row">{g.group}</th><td>{g.state}</td><td>{t.topic}</td><td data-testid="lag">{t.lag === null ? "no offsets" : count(t.lag)}</td>
                    <td>{t.partitions.map((p) => `${p.partition}: ${count(p.lag)}`).join(", ")}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
    </section>
  );
}
