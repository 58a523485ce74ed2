// Error events by severity over the range.
import { View } from "../components/State";
import type { Range } from "../dates";
import { count } from "../format";
import { useQuery } from "../use-query";

interface ErrorsData {
  game: { errors: { severity: string; events: number }[] };
}

export function Errors({ game, range }: { game: string; range: Range }) {
  const state = useQuery<ErrorsData>("errors", { game, range });
  return (
    <section aria-labelledby="err-h">
      <h2 id="err-h">Errors by severity</h2>
      <View state={state} what="errors" isEmpty={(d) => d.game.errors.length === 0}>
        {(d) => (
          <table aria-label="Errors by severity">
            <thead><tr><th scope="col">Severity</th><th scope="col">Events</th></tr></thead>
            <tbody>{d.game.errors.map((e) => <tr key={e.severity}><th scope="row">{e.severity}</th><td>{count(e.events)}</td></tr>)}</tbody>
          </table>
        )}
      </View>
    </section>
  );
}
