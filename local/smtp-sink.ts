// A real SMTP server (smtp-server, by nodemailer's author) that keeps what it accepts: the local
// platform's mail sink, and the tests' peer, which tells it how to answer each message (accept,
// 4xx, 5xx, or hold the reply). Received mails are parsed (mailparser) and listed over HTTP.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  id: number;
  from: string;
  to: string[];
  messageId: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** When the server answered 250 to the message (ms since epoch). */
  acceptedAt: number;
}

/** How the server answers the next message's DATA: accept it, refuse it (4xx/5xx), or wait before accepting. */
export type Answer = { accept: true } | { code: number; message: string } | { holdMs: number };

export interface SmtpSinkOptions {
  port?: number;
  /** When set, clients must authenticate with these. */
  credentials?: { user: string; password: string };
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** DATA commands seen (answered or not), in order. */
  readonly dataStarts: number[] = [];
  /** Messages received in full whose reply is being held (a `holdMs` answer). */
  holding = 0;
  private readonly script: Answer[] = [];
  private fallback: Answer = { accept: true };
  private readonly closed = new Set<string>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ["STARTTLS"],
      authOptional: opts.credentials === undefined,
      allowInsecureAuth: true,
      onAuth: (auth, _session, cb) =>
        opts.credentials !== undefined && auth.username === opts.credentials.user && auth.password === opts.credentials.password
          ? cb(null, { user: auth.username })
          : cb(Object.assign(new Error("authentication failed"), { responseCode: 535 })),
      onClose: (session) => {
        sink?.closed.add(session.id);
        sink?.notify();
      },
      // A client that goes away mid-message errors the stream: by SMTP that message was never accepted.
      onData: (stream, session, cb) => void sink?.receive(stream, session, cb).catch((err: Error) => cb(err)),
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
    sink = new SmtpSink(server, port);
    return sink;
  }

  /** Answers for the next messages, in order; after them the default answer (accept unless changed). */
  answer(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  setDefault(answer: Answer): void {
    this.fallback = answer;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `check` holds, checked after every message and connection close. */
  async until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const first = check();
    if (first !== undefined) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`SMTP sink: timed out after ${timeoutMs} ms waiting for ${what} (${this.mails.length} mails so far)`));
      }, timeoutMs);
      const waiter = () => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(v);
      };
      this.waiters.add(waiter);
    });
  }

  private async receive(stream: NodeJS.ReadableStream, session: { id: string; envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] } }, cb: (err?: Error | null) => void): Promise<void> {
    this.dataStarts.push(Date.now());
    this.notify();
    const answer = this.script.shift() ?? this.fallback;
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    if ("code" in answer) return cb(Object.assign(new Error(answer.message), { responseCode: answer.code }));
    if ("holdMs" in answer) {
      this.holding += 1;
      this.notify();
      const deadline = Date.now() + answer.holdMs;
      while (Date.now() < deadline && !this.closed.has(session.id)) await new Promise((r) => setTimeout(r, 20));
      this.holding -= 1;
      // The client went away before the reply: by SMTP the message was never accepted.
      if (this.closed.has(session.id)) return;
    }
    const parsed = await simpleParser(Buffer.concat(chunks));
    this.mails.push({
      id: this.mails.length + 1,
      from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
      to: session.envelope.rcptTo.map((r) => r.address),
      messageId: parsed.messageId,
      subject: parsed.subject,
      text: parsed.text,
      html: typeof parsed.html === "string" ? parsed.html : undefined,
      acceptedAt: Date.now(),
    });
    cb();
    this.notify();
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** GET /mails (JSON, newest last; ?to= filters), DELETE /mails, GET /healthz: for people and scripts. */
export function serveMailList(sink: SmtpSink, port: number): Promise<Server> {
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") return void res.writeHead(200).end("ok");
    if (url.pathname !== "/mails") return void res.writeHead(404).end();
    if (req.method === "DELETE") {
      sink.mails.length = 0;
      return void res.writeHead(204).end();
    }
    const to = url.searchParams.get("to");
    const mails = to === null ? sink.mails : sink.to(to);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(mails, null, 2));
  });
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve(http));
  });
}
