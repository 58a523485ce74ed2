// The DLQ browser (admins of every game): system.dlq newest first, filtered by reason, paged; each
// record's reason, source offset and an expandable payload preview; after the cause was fixed, replay
// one record or every record of a reason, each after a confirmation, with the users service's answer.
import { type FormEvent, useState } from "react";
import { messageOf, type State, useOperator, useOperatorGet } from "../operator";
import { Pager, useCursorPages } from "../components/Pager";

interface Item {
  offset: string;
  time: string;
  reason: string | null;
  detail: string | null;
  source: { topic: string; partition: number; offset: string } | null;
  key: string | null;
  payload: { preview: string; bytes: number; truncated: boolean };
  replayable: boolean;
}

interface Page {
  topic: string;
  held: number;
  items: Item[];
  nextBefore: string | null;
}

interface Replayed {
  replayed: number;
  offsets: string[];
  skipped: { offset: string; why: string }[];
}

type Pending = { offsets: [string] } | { reason: string };

/** JSON payloads indented, anything else as it came. */
const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

export function Dlq() {
  const call = useOperator();
  const [reason, setReason] = useState("");
  const [filter, setFilter] = useState("");
  const pages = useCursorPages<string>();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<Pending | null>(null);
  const [result, setResult] = useState<State<Replayed>>({ status: "idle" });
  const { before } = pages;
  const list = useOperatorGet<Page>(`/ops/dlq?${new URLSearchParams({ limit: "25", ...(filter === "" ? {} : { reason: filter }), ...(before === null ? {} : { before }) })}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setFilter(reason.trim());
  };
  const toggle = (offset: string) => setOpen((s) => (s.has(offset) ? new Set([...s].filter((o) => o !== offset)) : new Set([...s, offset])));
  const confirm = () => {
    if (pending === null) return;
    setResult({ status: "loading" });
    call<Replayed>("/ops/dlq/replay", { method: "POST", body: pending }).then((data) => setResult({ status: "ok", data }), (e: unknown) => setResult({ status: "error", message: messageOf(e) }));
    setPending(null);
  };
  const asking = pending === null ? "" : "reason" in pending ? `Replay every record with reason ${pending.reason} into its source topic?` : `Replay DLQ record ${pending.offsets[0]} into its source topic?`;
  return (
    <section aria-labelledby="dlq-h">
      <h2 id="dlq-h">Dead-letter queue {list.status === "ok" ? <span className="hint">{list.data.topic}: {list.data.held} records held</span> : null}</h2>
      <form onSubmit={submit} className="inline">
        <label htmlFor="dlq-reason">Reason</label>
        <input id="dlq-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. unknown_game" />
        <button type="submit">Filter</button>
        {filter === "" ? null : <button type="button" onClick={() => setPending({ reason: filter })}>Replay all {filter}…</button>}
      </form>
      {pending === null ? null : (
        <div className="confirm inline" role="group" aria-label="Confirm the replay">
          <span>{asking} Replays are idempotent: an event already stored is stored once.</span>
          <button type="button" className="danger" onClick={confirm} autoFocus>Confirm replay</button>
          <button type="button" onClick={() => setPending(null)}>Cancel</button>
        </div>
      )}
      <p role="status" aria-live="polite" data-testid="replay-result" className={result.status === "error" ? "state error" : "state"}>
        {result.status === "loading" ? "Replaying…"
          : result.status === "error" ? `Replay refused: ${result.message}`
          : result.status === "ok" ? `Replayed ${result.data.replayed} record(s): ${result.data.offsets.join(", ")}.${result.data.skipped.length === 0 ? "" : ` Skipped ${result.data.skipped.map((s) => `${s.offset} (${s.why})`).join("; ")}.`}`
          : ""}
      </p>
      {list.status === "loading" || list.status === "idle" ? <p className="state" role="status">Loading the DLQ…</p>
        : list.status === "error" ? <p className="state error" role="alert">Could not load the DLQ: {list.message}</p>
        : list.data.items.length === 0 ? <p className="state empty">No DLQ records{filter === "" ? "" : ` with reason ${filter}`}{before === null ? "" : " before this page"}.</p>
        : (
          <>
            <table aria-label="DLQ records, newest first" className="dlq">
              <thead><tr><th scope="col">Offset</th><th scope="col">Time (UTC)</th><th scope="col">Reason</th><th scope="col">Source</th><th scope="col">Key</th><th scope="col">Detail</th><th scope="col">Payload</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
              {list.data.items.map((i) => (
                <tbody key={i.offset} data-offset={i.offset}>
                  <tr>
                    <td>{i.offset}</td><td>{i.time}</td><td>{i.reason ?? "?"}</td>
                    <td>{i.source === null ? "none" : `${i.source.topic}[${i.source.partition}]@${i.source.offset}`}</td>
                    <td>{i.key ?? ""}</td><td className="detail">{i.detail ?? ""}</td>
                    <td><button type="button" aria-expanded={open.has(i.offset)} aria-controls={`dlq-payload-${i.offset}`} onClick={() => toggle(i.offset)}>{open.has(i.offset) ? "Hide" : "Show"} payload ({i.payload.bytes} B)</button></td>
                    <td>{i.replayable ? <button type="button" onClick={() => setPending({ offsets: [i.offset] })} aria-label={`Replay ${i.offset}`}>Replay</button> : <span title="no source topic this API replays into">not replayable</span>}</td>
                  </tr>
                  {open.has(i.offset) ? (
                    <tr id={`dlq-payload-${i.offset}`}>
                      <td colSpan={8}><pre className="payload" data-testid={`payload-${i.offset}`}>{pretty(i.payload.preview)}{i.payload.truncated ? `\n… (first ${new TextEncoder().encode(i.payload.preview).length} of ${i.payload.bytes} bytes)` : ""}</pre></td>
                    </tr>
                  ) : null}
                </tbody>
              ))}
            </table>
            <Pager pages={pages} next={list.data.nextBefore} />
          </>
        )}
    </section>
  );
}
