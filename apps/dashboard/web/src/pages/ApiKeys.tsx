// A game's ingestion API keys: list, create (the key is shown once, here, and never again), revoke.
import { useCallback, useEffect, useState } from "react";
import { messageOf, type State, useOperator } from "../operator";

interface Key {
  keyId: string;
  createdAt: string;
  rateLimitPerSec: number | null;
  revokedAt: string | null;
}

export function ApiKeys({ game }: { game: string }) {
  const call = useOperator();
  const [keys, setKeys] = useState<State<Key[]>>({ status: "loading" });
  const [created, setCreated] = useState<{ keyId: string; key: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const path = `/api-keys/${encodeURIComponent(game)}`;
  const load = useCallback(() => {
    call<{ keys: Key[] }>(path).then((d) => setKeys({ status: "ok", data: d.keys }), (e: unknown) => setKeys({ status: "error", message: messageOf(e) }));
    // `call` reads the token when it runs.
  }, [path]);
  useEffect(load, [load]);
  const create = () => {
    setProblem(null);
    call<{ keyId: string; key: string }>(path, { method: "POST", body: {} }).then((k) => {
      setCreated(k);
      load();
    }, (e: unknown) => setProblem(messageOf(e)));
  };
  const revoke = (keyId: string) => {
    setProblem(null);
    call<unknown>(`${path}/${keyId}`, { method: "DELETE" }).then(load, (e: unknown) => setProblem(messageOf(e)));
  };
  return (
    <section aria-labelledby="keys-h">
      <h2 id="keys-h">Ingestion API keys for {game}</h2>
      <button type="button" onClick={create}>Create API key</button>
      {created === null ? null : (
        <p className="created" role="status">
          New key {created.keyId}, shown only now: <output data-testid="new-key">{created.key}</output>
        </p>
      )}
      {problem === null ? null : <p className="state error" role="alert">{problem}</p>}
      {keys.status === "loading" || keys.status === "idle" ? <p className="state" role="status">Loading keys…</p>
        : keys.status === "error" ? <p className="state error" role="alert">Could not load: {keys.message}</p>
        : keys.data.length === 0 ? <p className="state empty">No API keys for {game} yet.</p>
        : (
          <table aria-label={`API keys of ${game}`}>
            <thead><tr><th scope="col">Key id</th><th scope="col">Created (UTC)</th><th scope="col">Rate limit</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.keyId} data-key={k.keyId}>
                  <td><code>{k.keyId}</code></td><td>{k.createdAt}</td><td>{k.rateLimitPerSec === null ? "default" : `${k.rateLimitPerSec}/s`}</td>
                  <td>{k.revokedAt === null ? "active" : `revoked ${k.revokedAt}`}</td>
                  <td>{k.revokedAt === null ? <button type="button" onClick={() => revoke(k.keyId)} aria-label={`Revoke ${k.keyId}`}>Revoke</button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
