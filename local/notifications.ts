// The notifications service on the local platform: a mail sink (SMTP + a list of what it received),
// the service itself, a demo template and player, and one demo email to show the path works.
import { join } from "node:path";
import { str } from "../apps/shared/config";
import { startService } from "./services";

export interface LocalNotifications {
  url: string;
  mailsUrl: string;
  smtp: string;
  pids: { notifications: number; smtpSink: number };
}

async function call(url: string, method: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(url, { method, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const out = (await r.json()) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${method} ${url} answered ${r.status}: ${JSON.stringify(out)}`);
  return out;
}

/** Ports from NOTIFICATIONS_PORT (8086), SMTP_SINK_PORT (2525), SMTP_SINK_HTTP_PORT (8025). */
export async function startLocalNotifications(
  /** The shared settings and the service's own Kafka principal (its topics come with the data plane). */
  env: Record<string, string>,
  game: string,
  /** The users service's issuer URL and a token source of a client that may manage the game. */
  auth: { readonly issuer: string; readonly token: () => Promise<string> },
  logs: string,
  log: (line: string) => void,
): Promise<LocalNotifications> {
  const port = str(process.env, "NOTIFICATIONS_PORT", "8086");
  const smtpPort = str(process.env, "SMTP_SINK_PORT", "2525");
  const httpPort = str(process.env, "SMTP_SINK_HTTP_PORT", "8025");
  const mailsUrl = `http://127.0.0.1:${httpPort}/mails`;
  const sink = await startService("smtp-sink", { SMTP_SINK_PORT: smtpPort, SMTP_SINK_HTTP_PORT: httpPort }, `http://127.0.0.1:${httpPort}/healthz`, join(logs, "smtp-sink.log"));
  const url = `http://127.0.0.1:${port}`;
  const service = await startService(
    "notifications",
    { ...env, NOTIFICATIONS_PORT: port, AUTH_ISSUER: auth.issuer, SMTP_HOST: "127.0.0.1", SMTP_PORT: smtpPort, SMTP_REQUIRE_TLS: "false", EMAIL_FROM: "Demo Game <noreply@demo-game.local>" },
    `${url}/readyz`,
    join(logs, "notifications.log"),
  );
  log(`notifications: listening on ${url} (pid ${service.pid}), mail sink SMTP 127.0.0.1:${smtpPort} (pid ${sink.pid})`);
  const token = await auth.token();
  await call(`${url}/v1/games/${game}/templates/welcome`, "PUT", token, {
    category: "transactional",
    default_locale: "en",
    variables: { name: { type: "string", required: true } },
    locales: { en: { email: { subject: "Welcome, {{name}}", text: "Hi {{name}}, notifications work on your machine.", html: "<p>Hi <b>{{name}}</b>, notifications work on your machine.</p>" } } },
  });
  await call(`${url}/v1/games/${game}/players/p1/preferences`, "PATCH", token, { email: "p1@players.local" });
  await call(`${url}/v1/notifications`, "POST", token, { game_id: game, idempotency_key: `demo-${Date.now()}`, player_id: "p1", template: "welcome", data: { name: "p1" } });
  for (let i = 0; i < 100; i += 1) {
    const mails = (await (await fetch(mailsUrl)).json()) as unknown[];
    if (mails.length > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`notifications demo: a welcome email reached the sink (${mailsUrl})`);
  return { url, mailsUrl, smtp: `127.0.0.1:${smtpPort}`, pids: { notifications: service.pid, smtpSink: sink.pid } };
}
