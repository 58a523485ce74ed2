// The cohort table: install day x day N, each cell shaded by its rate. A table rather than a canvas
// heatmap: it is the data itself, readable by keyboard and screen reader, and costs no chart library.
import { View } from "../components/State";
import type { Range } from "../dates";
import { count, percent } from "../format";
import { useQuery } from "../use-query";

interface RetentionData {
  game: { retention: { days: number[]; classic: (number | null)[]; cohorts: { day: string; size: number; retained: (number | null)[]; rates: (number | null)[] }[] } };
}

const shade = (r: number | null) => (r === null ? undefined : { backgroundColor: `rgba(37, 99, 235, ${Math.min(1, 0.1 + r * 0.9).toFixed(2)})`, color: r > 0.5 ? "#fff" : undefined });

export function Retention({ game, range }: { game: string; range: Range }) {
  const state = useQuery<RetentionData>("retention", { game, cohorts: range });
  return (
    <section aria-labelledby="ret-h">
      <h2 id="ret-h">Retention by install day</h2>
      <View state={state} what="cohorts" isEmpty={(d) => d.game.retention.cohorts.length === 0}>
        {({ game: { retention: t } }) => (
          <table className="heatmap" aria-label="Retention: install day by day N">
            <thead>
              <tr>
                <th scope="col">Install day</th>
                <th scope="col">Players</th>
                {t.days.map((d) => <th scope="col" key={d}>Day {d}</th>)}
              </tr>
            </thead>
            <tbody>
              {t.cohorts.map((c) => (
                <tr key={c.day}>
                  <th scope="row">{c.day}</th>
                  <td>{count(c.size)}</td>
                  {c.rates.map((r, i) => <td key={i} style={shade(r)} title={c.retained[i] === null ? "not reached yet" : `${c.retained[i]} players`}>{r === null ? "–" : percent(r)}</td>)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Classic</th>
                <td />
                {t.classic.map((r, i) => <td key={i}>{percent(r)}</td>)}
              </tr>
            </tfoot>
          </table>
        )}
      </View>
    </section>
  );
}
