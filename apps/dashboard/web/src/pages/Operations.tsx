// Operations (admins): the game's ingestion API keys; for admins of every game, the event path's
// status (lag, error ratio), the DLQ browser and the audit log, newest first, filtered by action,
// paged, with the hash chain's check, the walk `npm run audit -- verify` does.
import { type FormEvent, useState } from "react";
import { messageOf, type State, useOperator, useOperatorGet } from "../operator";
import { ApiKeys } from "./ApiKeys";
import { Dlq } from "./Dlq";
import { OpsStatus } from "./OpsStatus";
import { Pager, useCursorPages } from "../components/Pager";

interface Entry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: unknown;
}

type Verdict = { ok: true; entries: number; head: string } | { ok: false; entries: number; brokenAt: number; reason: string };

export function Operations({ game }: { game: string }) {
  return (
    <>
      <ApiKeys game={game} />
      <OpsStatus />
      <Dlq />
      <AuditLog />
    </>
  );
}

function AuditLog() {
  const call = useOperator();
  const [action, setAction] = useState("");
  const [filter, setFilter] = useState("");
  const pages = useCursorPages<number>();
  const [verdict, setVerdict] = useState<State<Verdict>>({ status: "idle" });
  const { before } = pages;
  const q = new URLSearchParams({ limit: "25", ...(filter === "" ? {} : { action: filter }), ...(before === null ? {} : { before: String(before) }) });
  const log = useOperatorGet<{ entries: Entry[]; nextBefore: number | null }>(`/audit?${q}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setFilter(action.trim());
  };
  const verify = () => {
    setVerdict({ status: "loading" });
    call<Verdict>("/audit/verify").then((data) => setVerdict({ status: "ok", data }), (e: unknown) => setVerdict({ status: "error", message: messageOf(e) }));
  };
  return (
    <section aria-labelledby="ops-h">
      <h2 id="ops-h">Audit log</h2>
      <div className="inline">
        <button type="button" onClick={verify} disabled={verdict.status === "loading"}>Verify chain</button>
        <p role="status" aria-live="polite" data-testid="verdict">
          {verdict.status === "loading" ? "Verifying…" : verdict.status === "error" ? `Could not verify: ${verdict.message}` : verdict.status === "ok" ? (verdict.data.ok ? `Chain intact: ${verdict.data.entries} entries` : `Chain broken at row ${verdict.data.brokenAt}: ${verdict.data.reason}`) : ""}
        </p>
      </div>
      <form onSubmit={submit} className="inline">
        <label htmlFor="audit-action">Action (or prefix)</label>
        <input id="audit-action" value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. staff or apikey.create" />
        <button type="submit">Filter</button>
      </form>
      {log.status === "loading" || log.status === "idle" ? <p className="state" role="status">Loading the audit log…</p>
        : log.status === "error" ? <p className="state error" role="alert">Could not load: {log.message}</p>
        : log.data.entries.length === 0 ? <p className="state empty">No audit entries{filter === "" ? "" : ` for ${filter}`}.</p>
        : (
          <>
            <table aria-label="Audit log, newest first">
              <thead><tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
              <tbody>{log.data.entries.map((e) => <tr key={e.seq}><td>{e.seq}</td><td>{e.at}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td><code>{JSON.stringify(e.details).slice(0, 100)}</code></td></tr>)}</tbody>
            </table>
            <Pager pages={pages} next={log.data.nextBefore} />
          </>
        )}
    </section>
  );
}
