// The local platform's mail sink as its own process: SMTP on SMTP_SINK_PORT, the list of received
// mails on http://127.0.0.1:SMTP_SINK_HTTP_PORT/mails.
import { serveMailList, SmtpSink } from "./smtp-sink";

async function main(): Promise<void> {
  const sink = await SmtpSink.start({ port: Number(process.env.SMTP_SINK_PORT ?? 2525) });
  const http = await serveMailList(sink, Number(process.env.SMTP_SINK_HTTP_PORT ?? 8025));
  process.stdout.write(`smtp sink: SMTP on 127.0.0.1:${sink.port}, mails at http://127.0.0.1:${process.env.SMTP_SINK_HTTP_PORT ?? 8025}/mails\n`);
  const stop = () => {
    http.close();
    void sink.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`smtp sink failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
