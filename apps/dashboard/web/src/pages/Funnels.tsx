// Progression funnels per level path, and the economy's sources and sinks per currency.
import { View } from "../components/State";
import type { Range } from "../dates";
import { count, decimal, percent } from "../format";
import { useQuery } from "../use-query";

interface FunnelsData {
  game: {
    progression: { path: string; starts: number; fails: number; completes: number; completionRate: number | null; avgAttempts: number | null }[];
    resourceFlows: { flow: string; currency: string; itemType: string; amount: number }[];
  };
}

export function Funnels({ game, range }: { game: string; range: Range }) {
  const state = useQuery<FunnelsData>("funnels", { game, range });
  return (
    <>
      <section aria-labelledby="fun-h">
        <h2 id="fun-h">Funnels</h2>
        <View state={state} what="progression" isEmpty={(d) => d.game.progression.length === 0}>
          {(d) => (
            <table aria-label="Progression per level path">
              <thead><tr><th scope="col">Path</th><th scope="col">Starts</th><th scope="col">Fails</th><th scope="col">Completes</th><th scope="col">Completion</th><th scope="col">Attempts</th></tr></thead>
              <tbody>
                {d.game.progression.map((p) => (
                  <tr key={p.path}>
                    <th scope="row">{p.path}</th><td>{count(p.starts)}</td><td>{count(p.fails)}</td><td>{count(p.completes)}</td>
                    <td><meter min={0} max={1} value={p.completionRate ?? 0} aria-label={`completion ${percent(p.completionRate)}`} /> {percent(p.completionRate)}</td>
                    <td>{p.avgAttempts === null ? "–" : decimal(p.avgAttempts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </View>
      </section>
      <section aria-labelledby="eco-h">
        <h2 id="eco-h">Economy</h2>
        <View state={state} what="resource flows" isEmpty={(d) => d.game.resourceFlows.length === 0}>
          {(d) => (
            <table aria-label="Sources and sinks per currency">
              <thead><tr><th scope="col">Currency</th><th scope="col">Flow</th><th scope="col">Item type</th><th scope="col">Amount</th></tr></thead>
              <tbody>{d.game.resourceFlows.map((f) => <tr key={`${f.currency}/${f.flow}/${f.itemType}`}><td>{f.currency}</td><td>{f.flow}</td><td>{f.itemType}</td><td>{decimal(f.amount)}</td></tr>)}</tbody>
            </table>
          )}
        </View>
      </section>
    </>
  );
}
