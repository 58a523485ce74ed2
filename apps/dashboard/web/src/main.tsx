// Start-up: load the config, finish a sign-in coming back from the issuer, or send the user there.
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { Session } from "./auth";
import { BASE_PATH, loadConfig } from "./config";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

function fail(message: string) {
  root.render(
    <main className="fatal">
      <h1>GameMetrics</h1>
      <p role="alert">{message}</p>
      <p><a href={`${BASE_PATH}/`}>Try again</a></p>
    </main>,
  );
}

async function start(): Promise<void> {
  const session = await Session.discover(await loadConfig());
  const here = new URL(location.href);
  if (here.pathname === `${BASE_PATH}/callback`) {
    const returnTo = await session.completeSignIn(here);
    // Drop the code and state from the address bar and history.
    history.replaceState(null, "", returnTo);
  } else {
    await session.signIn(`${here.pathname}${here.search}`);
  }
  root.render(<App session={session} />);
}

start().catch((err: unknown) => fail(`Sign-in failed: ${err instanceof Error ? err.message : String(err)}`));
