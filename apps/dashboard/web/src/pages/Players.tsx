// Player lookup for support: the player's summary, their recommendations and their timeline, newest
// first, a page at a time; for admins also their data export or erasure.
import { type FormEvent, useState } from "react";
import { View } from "../components/State";
import { count, money } from "../format";
import { useQuery } from "../use-query";
import { Gdpr } from "./Gdpr";
import { PlayerRecommendations } from "./PlayerRecommendations";

interface SummaryData {
  game: {
    player: { id: string; summary: { firstDay: string; lastDay: string; activeDays: number; sessions: number; playtimeS: number; events: number; revenue: { currency: string; amountMinor: number }[] } | null } | null;
  };
}

interface TimelineData {
  game: { player: { timeline: { events: { eventId: string; type: string; time: string; platform: string | null; payload: string }[]; nextCursor: string | null } } | null };
}

function Summary({ game, player }: { game: string; player: string }) {
  const state = useQuery<SummaryData>("playerSummary", { game, player });
  return (
    <View state={state} what="data for this player" isEmpty={(d) => d.game.player?.summary == null}>
      {(d) => {
        const s = d.game.player!.summary!;
        return (
          <dl className="tiles" aria-label={`summary of ${player}`}>
            <div className="tile" data-metric="player-events"><dt>Events</dt><dd>{count(s.events)}</dd></div>
            <div className="tile" data-metric="player-sessions"><dt>Sessions</dt><dd>{count(s.sessions)}</dd></div>
            <div className="tile"><dt>Active days</dt><dd>{count(s.activeDays)} ({s.firstDay} – {s.lastDay})</dd></div>
            <div className="tile"><dt>Playtime</dt><dd>{count(s.playtimeS / 60)} min</dd></div>
            <div className="tile" data-metric="player-revenue"><dt>Revenue</dt><dd>{s.revenue.length === 0 ? "none" : s.revenue.map((r) => money(r.amountMinor, r.currency)).join(" · ")}</dd></div>
          </dl>
        );
      }}
    </View>
  );
}

function Timeline({ game, player }: { game: string; player: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const state = useQuery<TimelineData>("playerTimeline", { game, player, after: cursors[cursors.length - 1] });
  return (
    <View state={state} what="events for this player" isEmpty={(d) => (d.game.player?.timeline.events.length ?? 0) === 0}>
      {(d) => {
        const t = d.game.player!.timeline;
        return (
          <>
            <table aria-label="Timeline, newest first">
              <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Type</th><th scope="col">Platform</th><th scope="col">Payload</th></tr></thead>
              <tbody>
                {t.events.map((e) => (
                  <tr key={e.eventId}><td>{e.time}</td><td>{e.type}</td><td>{e.platform ?? "–"}</td><td><code>{e.payload.length > 120 ? `${e.payload.slice(0, 120)}…` : e.payload}</code></td></tr>
                ))}
              </tbody>
            </table>
            <div className="pager">
              <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
              <button type="button" disabled={t.nextCursor === null} onClick={() => setCursors([...cursors, t.nextCursor])}>Older</button>
            </div>
          </>
        );
      }}
    </View>
  );
}

export function Players({ game, admin }: { game: string; admin: boolean }) {
  const [draft, setDraft] = useState("");
  const [player, setPlayer] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPlayer(draft.trim() === "" ? null : draft.trim());
  };
  return (
    <section aria-labelledby="pl-h">
      <h2 id="pl-h">Player lookup</h2>
      <form onSubmit={submit} className="inline">
        <label htmlFor="player-id">Player id</label>
        <input id="player-id" value={draft} onChange={(e) => setDraft(e.target.value)} required />
        <button type="submit">Look up</button>
      </form>
      {player === null ? <p className="state">Enter a player id of {game}.</p> : (
        <div key={player}>
          <Summary game={game} player={player} />
          <PlayerRecommendations game={game} player={player} />
          {admin ? <Gdpr game={game} player={player} /> : null}
          <Timeline game={game} player={player} />
        </div>
      )}
    </section>
  );
}
