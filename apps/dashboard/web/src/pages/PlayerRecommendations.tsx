// A player's recommendations (items and levels) from the analytics API, which asks the recommendations
// service; its own query, so when that service fails only this panel says so.
import { View } from "../components/State";
import { useQuery } from "../use-query";

interface Item {
  id: string;
  score: number;
  source: string;
}

interface RecommendationsData {
  game: { player: { items: { modelVersion: string; generatedAt: string; items: Item[] } | null; levels: { items: Item[] } | null } | null };
}

function Ranked({ label, items }: { label: string; items: Item[] }) {
  if (items.length === 0) return <p className="state empty">No {label.toLowerCase()} to recommend.</p>;
  return (
    <table aria-label={`Recommended ${label.toLowerCase()}`}>
      <thead><tr><th scope="col">#</th><th scope="col">{label.replace(/s$/, "")}</th><th scope="col">Score</th><th scope="col">Source</th></tr></thead>
      <tbody>
        {items.map((i, n) => (
          <tr key={i.id} data-item={i.id}><td>{n + 1}</td><th scope="row">{i.id}</th><td>{i.score.toFixed(3)}</td><td>{i.source}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

export function PlayerRecommendations({ game, player }: { game: string; player: string }) {
  const state = useQuery<RecommendationsData>("playerRecommendations", { game, player });
  return (
    <section aria-labelledby="recs-h" data-testid="recommendations">
      <h3 id="recs-h">Recommendations</h3>
      <View state={state} what="recommendations" isEmpty={(d) => d.game.player?.items == null}>
        {(d) => {
          const p = d.game.player!;
          return (
            <>
              <p className="state">Model {p.items!.modelVersion}, generated {p.items!.generatedAt}</p>
              <div className="columns">
                <Ranked label="Items" items={p.items!.items} />
                <Ranked label="Levels" items={p.levels?.items ?? []} />
              </div>
            </>
          );
        }}
      </View>
    </section>
  );
}
