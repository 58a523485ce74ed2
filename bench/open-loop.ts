// Open-loop load in its own process: requests leave at a fixed rate whatever the answers, and each
// latency is measured from when the request was due (no coordinated omission).
// Usage: tsx bench/open-loop.ts <url> <api key> <body file> <rate/s> <seconds>; prints one JSON line.
import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";

const [url, apiKey, bodyFile, rateArg, secondsArg] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const latencies: number[] = [];
let ok = 0;
let failed = 0;
let inFlight = 0;

function send(due: number): void {
  inFlight++;
  const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "x-api-key": apiKey, "content-length": body.length } }, (res) => {
    res.resume();
    res.on("end", () => {
      inFlight--;
      latencies.push(performance.now() - due);
      if (res.statusCode === 202) ok++;
      else failed++;
    });
  });
  req.on("error", () => {
    inFlight--;
    failed++;
    latencies.push(performance.now() - due);
  });
  req.end(body);
}

const start = performance.now();
let sent = 0;
const timer = setInterval(() => {
  const now = performance.now();
  const due = Math.min(rate * seconds, Math.floor(((now - start) / 1000) * rate));
  for (; sent < due; sent++) send(start + (sent / rate) * 1000);
  if (sent >= rate * seconds) {
    clearInterval(timer);
    const finish = setInterval(() => {
      if (inFlight > 0 && performance.now() - now < 10_000) return;
      clearInterval(finish);
      const s = latencies.sort((a, b) => a - b);
      const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
      process.stdout.write(JSON.stringify({ rate, sent, ok, failed, p50Ms: p(0.5), p99Ms: p(0.99) }) + "\n");
      agent.destroy();
    }, 20);
  }
}, 1);
