// The shell: who is signed in, the game, the range, role-aware navigation and the current page.
import { type FormEvent, useCallback, useEffect, useMemo, useState } from "react";
import type { Identity, Session } from "./auth";
import { Api, type ApiContext } from "./context";
import { BASE_PATH } from "./config";
import { readFilters } from "./filters";
import { pageAt, type PageId, visiblePages } from "./nav";
import { Errors } from "./pages/Errors";
import { Funnels } from "./pages/Funnels";
import { Operations } from "./pages/Operations";
import { Overview } from "./pages/Overview";
import { Players } from "./pages/Players";
import { Retention } from "./pages/Retention";

function useLocation(): [URL, (to: string) => void] {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const on = () => setUrl(new URL(location.href));
    addEventListener("popstate", on);
    return () => removeEventListener("popstate", on);
  }, []);
  const go = useCallback((to: string) => {
    history.pushState(null, "", to);
    setUrl(new URL(location.href));
  }, []);
  return [url, go];
}

function Controls({ url, go, games }: { url: URL; go: (to: string) => void; games: Identity["games"] }) {
  const f = readFilters(url.searchParams);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const [k, v] of data) if (typeof v === "string" && v.trim() !== "") next.set(k, v.trim());
    go(`${url.pathname}?${next}`);
  };
  return (
    <form className="controls" onSubmit={submit} aria-label="game and range" key={url.search}>
      <label>Game {games === "*" ? <input name="game" defaultValue={url.searchParams.get("game") ?? ""} required /> : (
        <select name="game" defaultValue={url.searchParams.get("game") ?? games[0]}>{games.map((g) => <option key={g}>{g}</option>)}</select>
      )}</label>
      <label>From <input type="date" name="from" defaultValue={f.range.from} /></label>
      <label>To <input type="date" name="to" defaultValue={f.range.to} /></label>
      <label>Granularity <select name="granularity" defaultValue={f.granularity}><option>HOUR</option><option>DAY</option><option>WEEK</option></select></label>
      <label>Platform <input name="platform" defaultValue={f.platform.join(",")} placeholder="all" size={8} /></label>
      <label>App version <input name="appVersion" defaultValue={f.appVersion.join(",")} placeholder="all" size={8} /></label>
      <button type="submit">Apply</button>
    </form>
  );
}

function Content({ page, game, url, admin }: { page: PageId; game: string; url: URL; admin: boolean }) {
  const f = readFilters(url.searchParams);
  switch (page) {
    case "overview": return <Overview game={game} filters={f} />;
    case "retention": return <Retention game={game} range={f.range} />;
    case "funnels": return <Funnels game={game} range={f.range} />;
    case "errors": return <Errors game={game} range={f.range} />;
    case "players": return <Players game={game} admin={admin} />;
    case "operations": return <Operations game={game} />;
  }
}

export function App({ session }: { session: Session }) {
  const [url, go] = useLocation();
  const me = session.identity();
  const api: ApiContext = useMemo(() => ({ graphqlPath: `${BASE_PATH}/graphql`, token: () => session.accessToken() }), [session]);
  const pages = visiblePages(me.roles);
  const page = pageAt(url.pathname.slice(BASE_PATH.length), me.roles);
  const game = url.searchParams.get("game") ?? (me.games === "*" ? null : (me.games[0] ?? null));
  const link = (path: string) => `${BASE_PATH}${path}${url.search}`;
  return (
    <Api.Provider value={api}>
      <a className="skip" href="#main">Skip to content</a>
      <header>
        <h1>GameMetrics</h1>
        <nav aria-label="pages">
          <ul>
            {pages.map((p) => (
              <li key={p.id}>
                <a href={link(p.path)} aria-current={p.id === page?.id ? "page" : undefined} onClick={(e) => { e.preventDefault(); go(link(p.path)); }}>{p.title}</a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="me">
          <span data-testid="who">{me.email}</span> · <span data-testid="roles">{me.roles.join(", ")}</span>{" "}
          <button type="button" onClick={() => void session.signOut()}>Sign out</button>
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        <Controls url={url} go={go} games={me.games} />
        {pages.length === 0 ? <p className="state error" role="alert">Your account ({me.roles.join(", ") || "no role"}) has no dashboard pages.</p>
          : page === undefined ? <p className="state error" role="alert">There is no such page for your roles. <a href={link(pages[0].path)}>Go to {pages[0].title}</a></p>
          : game === null ? <p className="state">Choose a game above.</p>
          : me.games !== "*" && !me.games.includes(game) ? <p className="state error" role="alert">Your account cannot see {game}.</p>
          : <Content page={page.id} game={game} url={url} admin={me.roles.includes("admin")} />}
      </main>
    </Api.Provider>
  );
}
