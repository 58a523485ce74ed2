// The FCM provider through firebase-admin itself, against a local HTTPS peer in FCM's v1 API shape:
// firebase-admin builds the requests and parses the answers (including FcmError details), so the
// provider's mapping is tested on what the library really hands it. FCM's host is fixed in
// firebase-admin, so the test's app routes its connections to the peer (HTTP/1.1 transport, an
// agent that connects to 127.0.0.1 with the certificate made for fcm.googleapis.com). Found here:
// firebase-admin retries 503s on its own within one send, so an FCM attempt can last seconds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getMessaging } from "firebase-admin/messaging";
import { fcmProvider } from "../../../apps/notifications/channels/fcm";
import type { PushTarget } from "../../../apps/notifications/model";

let app: App;
let server: ReturnType<typeof createServer>;
const received: { path: string; auth: string | undefined; message: Record<string, unknown> }[] = [];

const ANSWERS: Record<string, [number, unknown]> = {
  "token-ok-0123456789abcdef": [200, { name: "projects/gm-test/messages/0:1" }],
  "token-gone-0123456789abcdef": [404, { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND", details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }] } }],
  "token-busy-0123456789abcdef": [503, { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } }],
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "gm-fcm-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=fcm.googleapis.com", "-addext", "subjectAltName=DNS:fcm.googleapis.com", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")], { stdio: "ignore" });
  const [key, cert] = [readFileSync(join(dir, "k.pem")), readFileSync(join(dir, "c.pem"))];
  server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { message } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { message: Record<string, unknown> };
      received.push({ path: req.url ?? "", auth: req.headers.authorization, message });
      const [status, body] = ANSWERS[String(message.token)] ?? [400, { error: { code: 400, message: "bad token", status: "INVALID_ARGUMENT" } }];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: false });
  // Every connection goes to the peer, verified against its certificate under FCM's name.
  (agent as unknown as { createConnection: unknown }).createConnection = () => connect({ host: "127.0.0.1", port, servername: "fcm.googleapis.com", ca: cert });
  const credential = { getAccessToken: async () => ({ access_token: "test-access-token", expires_in: 3600 }) };
  app = initializeApp({ credential, projectId: "gm-test", httpAgent: agent }, `fcm-test-${process.pid}`);
});
afterAll(async () => {
  await deleteApp(app);
  await new Promise<void>((r) => server.close(() => r()));
});

/** firebase-admin's Messaging over HTTP/1.1, where the app's agent applies. */
const messaging = () => {
  const m = getMessaging(app);
  m.enableLegacyHttpTransport();
  return m;
};
const target = (token: string): PushTarget => ({ targetId: token.split("-")[1], kind: "fcm", endpoint: token, p256dh: null, auth: null });
const message = { deliveryId: "d", notificationId: "n-1", gameId: "g", playerId: "p", category: "critical" as const, content: { subject: "Receipt", text: "Thanks!" } };

test("a multicast to three tokens: delivered to one, the unregistered one reported gone, each request as FCM's v1 API takes it", async () => {
  const provider = fcmProvider(messaging());
  const receipt = await provider.send(message, ["token-ok-0123456789abcdef", "token-gone-0123456789abcdef", "token-busy-0123456789abcdef"].map(target));
  expect(receipt).toEqual({ ref: "projects/gm-test/messages/0:1", response: "fcm: 1/3 delivered; fcm_registration_token_not_registered, fcm_server_unavailable", gone: ["gone"] });
  // firebase-admin retries a 503 itself (its HttpClient's default retry config, with backoff) inside our
  // one attempt; the other tokens are asked once.
  const asked = (token: string) => received.filter((r) => r.message.token === token).length;
  expect([asked("token-ok-0123456789abcdef"), asked("token-gone-0123456789abcdef")]).toEqual([1, 1]);
  expect(asked("token-busy-0123456789abcdef")).toBeGreaterThan(1);
  for (const r of received) {
    expect(r.path).toBe("/v1/projects/gm-test/messages:send");
    expect(r.auth).toBe("Bearer test-access-token");
    expect(r.message).toMatchObject({ notification: { title: "Receipt", body: "Thanks!" }, data: { notification_id: "n-1" }, android: { priority: "high" } });
  }
});

test("only unavailable tokens: thrown as transient, so the breaker counts it and the delivery is retried", async () => {
  const provider = fcmProvider(messaging());
  await expect(provider.send(message, [target("token-busy-0123456789abcdef")])).rejects.toMatchObject({ kind: "transient", reason: "fcm_server_unavailable" });
  const refused = await provider.send(message, [target("token-gone-0123456789abcdef")]);
  expect(refused.refused).toMatchObject({ kind: "permanent", reason: "fcm_registration_token_not_registered" });
  expect(refused.gone).toEqual(["gone"]);
});
