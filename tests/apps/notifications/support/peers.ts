// Real HTTP peers for the push and SMS providers: a Web Push service over HTTPS (its certificate made
// by openssl, trusted by the service through NODE_EXTRA_CA_CERTS) that decrypts what it receives and
// checks the VAPID signature, and an SNS endpoint that speaks the Query protocol the SDK uses.
import { execFileSync } from "node:child_process";
import { createECDH, randomBytes, type ECDH } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";

// http_ece ships no types; this is the one call the peer makes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require("http_ece") as { decrypt(buffer: Buffer, params: { version: string; privateKey: ECDH; authSecret: string }): Buffer };

export interface Tls {
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A self-signed certificate for 127.0.0.1 (IP SAN), in a temporary folder. */
export function selfSignedTls(): Tls {
  const dir = mkdtempSync(join(tmpdir(), "gm-tls-"));
  const [keyFile, certFile] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certFile], { stdio: "ignore" });
  return { certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

const body = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const listen = (server: Server, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
export interface Subscriber {
  path: string;
  ecdh: ECDH;
  auth: Buffer;
  subscription: (origin: string) => { endpoint: string; keys: { p256dh: string; auth: string } };
}

export function subscriber(path: string): Subscriber {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { path, ecdh, auth, subscription: (origin) => ({ endpoint: `${origin}${path}`, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } }) };
}

export interface PushReceipt {
  path: string;
  payload: Record<string, unknown>;
  vapid: { sub: unknown; aud: unknown };
  urgency: string | undefined;
}

/** The push service: answers each path with its status; decrypts and verifies what it accepts. */
export async function pushPeer(tls: Tls, statuses: Record<string, number>, subscribers: Subscriber[]) {
  const received: PushReceipt[] = [];
  const hits: string[] = [];
  const server = createHttps({ key: tls.key, cert: tls.cert }, (req, res) => {
    void (async () => {
      const raw = await body(req);
      const path = req.url ?? "";
      hits.push(path);
      const status = statuses[path] ?? 404;
      if (status === 201) {
        const sub = subscribers.find((s) => s.path === path) as Subscriber;
        const plain = ece.decrypt(raw, { version: "aes128gcm", privateKey: sub.ecdh, authSecret: sub.auth.toString("base64url") });
        // RFC 8292: Authorization: vapid t=<JWT>, k=<the application server's public key>
        const m = /^vapid t=([^,]+), k=(.+)$/.exec(req.headers.authorization ?? "");
        if (m === null) return void res.writeHead(401).end("no vapid");
        const k = Buffer.from(m[2], "base64url");
        const key = await importJWK({ kty: "EC", crv: "P-256", x: k.subarray(1, 33).toString("base64url"), y: k.subarray(33).toString("base64url") }, decodeProtectedHeader(m[1]).alg ?? "ES256");
        const { payload } = await jwtVerify(m[1], key);
        received.push({ path, payload: JSON.parse(plain.toString("utf8")), vapid: { sub: payload.sub, aud: payload.aud }, urgency: req.headers.urgency as string | undefined });
        return void res.writeHead(201, { location: `${path}/messages/${received.length}` }).end();
      }
      res.writeHead(status, status === 429 ? { "retry-after": "1" } : {}).end(`status ${status}`);
    })().catch((err: Error) => res.writeHead(500).end(err.message));
  });
  const port = await listen(server as unknown as Server);
  return { origin: `https://127.0.0.1:${port}`, received, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface SmsReceipt {
  phone: string;
  message: string;
  type: string | undefined;
  signed: boolean;
}

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/** SNS Publish over the Query protocol: +1555000xxxx numbers ending in 0 are refused as invalid. */
export async function snsPeer() {
  const received: SmsReceipt[] = [];
  const server = createHttp((req, res) => {
    void body(req).then((raw) => {
      const form = new URLSearchParams(raw.toString("utf8"));
      const phone = form.get("PhoneNumber") ?? "";
      if (form.get("Action") !== "Publish") return void res.writeHead(400).end();
      if (phone.endsWith("0")) {
        return void res
          .writeHead(400, { "content-type": "text/xml" })
          .end(`<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
      }
      const type = [...form.entries()].find(([k, v]) => k.endsWith(".Name") && v === "AWS.SNS.SMS.SMSType")?.[0].replace(".Name", ".Value.StringValue");
      received.push({ phone, message: form.get("Message") ?? "", type: type === undefined ? undefined : (form.get(type) ?? undefined), signed: (req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256") });
      res.writeHead(200, { "content-type": "text/xml" }).end(
        `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>m-${received.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${received.length}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
