// Live tiles over the liveCounters subscription (graphql-ws): events in the last minute, concurrent
// players, revenue today. One snapshot a tick; the tiles show the newest.
import { useContext, useEffect, useState } from "react";
import { LIVE_COUNTERS } from "../../../../shared/dashboard-queries";
import { Api } from "../context";
import { liveClient } from "../gql";
import { count, money } from "../format";

interface Snapshot {
  at: string;
  eventsPerMinute: { type: string; count: number }[];
  concurrentPlayers: number;
  revenueToday: { currency: string; amountMinor: number }[];
}

type Live = { status: "connecting" } | { status: "error"; message: string } | { status: "live"; snap: Snapshot };

export function LiveTiles({ game }: { game: string }) {
  const api = useContext(Api);
  const [live, setLive] = useState<Live>({ status: "connecting" });
  useEffect(() => {
    setLive({ status: "connecting" });
    const client = liveClient(api.graphqlPath, api.token);
    const stop = client.subscribe<{ liveCounters: Snapshot }>(
      { query: LIVE_COUNTERS, variables: { game } },
      {
        next: (v) => (v.data ? setLive({ status: "live", snap: v.data.liveCounters }) : setLive({ status: "error", message: v.errors?.[0]?.message ?? "no data" })),
        error: (e: unknown) => setLive({ status: "error", message: e instanceof Error ? e.message : "the live connection closed" }),
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      void client.dispose();
    };
  }, [api, game]);

  if (live.status === "error") return <p className="state error" role="alert">Live counters unavailable: {live.message}</p>;
  const snap = live.status === "live" ? live.snap : undefined;
  const events = snap?.eventsPerMinute.reduce((s, e) => s + e.count, 0);
  const revenue = snap?.revenueToday ?? [];
  return (
    <section aria-labelledby="live-h" className="tiles live">
      <h2 id="live-h">
        Live <span className="hint">{snap === undefined ? "connecting…" : `as of ${snap.at.slice(11, 19)} UTC`}</span>
      </h2>
      <dl aria-live="polite">
        <div className="tile" data-metric="live-events">
          <dt>Events / min</dt>
          <dd>{events === undefined ? "–" : count(events)}</dd>
        </div>
        <div className="tile" data-metric="live-concurrent">
          <dt>Concurrent players</dt>
          <dd>{snap === undefined ? "–" : count(snap.concurrentPlayers)}</dd>
        </div>
        <div className="tile" data-metric="live-revenue">
          <dt>Revenue today</dt>
          <dd>{snap === undefined ? "–" : revenue.length === 0 ? "none yet" : revenue.map((r) => money(r.amountMinor, r.currency)).join(" · ")}</dd>
        </div>
      </dl>
    </section>
  );
}
