// Property-based: arbitrary Unicode text (every plane, control characters, unpaired surrogates),
// numbers at the edges and RFC 3339 times at the edges of the grammar, through the real HTTP API,
// Kafka and PostgreSQL. Every event is either answered 202 and stored intact, or answered 4xx and
// never stored; nothing is ever a 5xx, nothing reaches the DLQ (the edge refused all that the
// database would), and the pipeline keeps storing what comes after.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { createStack, eventually, post, Stack } from "./support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await createStack("edge");
  await stack.startProcessor();
  await stack.startIngestion();
});
afterAll(async () => stack?.close());

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
/** Text from every plane, lone UTF-16 halves, and control characters, 1 to 40 units. */
const text = fc.oneof(
  // Well-formed text too, so accepted events are common enough to check what was stored.
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.string({ unit: utf16Unit, minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.oneof(control, fc.constantFrom("a", "\u0000", "\ud83d", "\ude00", "\ufffe", "\u{10ffff}")), minLength: 1, maxLength: 12 }),
);

/** JSON number literals, as text: what JSON.stringify could never produce is included (1e400). */
const numberLiteral = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom("0", "-0", "1.0", "5e-324", "1.7976931348623157e308", "1e400", "-1e400", "9007199254740991", "9007199254740992", "-9007199254740993", "12345678901234567891"),
);

const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** Times at the edges of the ISO 8601 / RFC 3339 grammar, both ends of every field. */
const isoTime = fc
  .record({
    year: fc.oneof(fc.constantFrom(0, 1, 1969, 1970, 2000, 2038, 9999), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.oneof(fc.constantFrom(1, 28, 29, 30, 31), fc.integer({ min: 0, max: 32 })),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.oneof(fc.constantFrom(0, 59), fc.integer({ min: 0, max: 60 })),
    second: fc.oneof(fc.constantFrom(0, 59, 60), fc.integer({ min: 0, max: 61 })),
    fraction: fc.oneof(fc.constant(""), fc.integer({ min: 1, max: 12 }).map((n) => `.${"9".repeat(n)}`)),
    sep: fc.constantFrom("T", "t", " "),
    zone: fc.oneof(
      fc.constantFrom("Z", "z", "+00:00", "-00:00", "+14:00", "-12:00", "+15:59", "-15:59", "+16:00", "+23:59", "+24:00", "+05", "+0530", ""),
      fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 })).map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.sep}${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction}${t.zone}`);
/** Half edge-of-grammar times (mostly refused), half valid instants across the whole four-digit range. */
const eventTime = fc.oneof(isoTime, fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString()));

interface Sent {
  id: string;
  playerId: string;
  level: string;
  score: number;
  eventTime: string;
}

test("every event is stored intact (202) or refused with a 4xx naming its field, never a 5xx; the pipeline keeps going", async () => {
  const accepted: Sent[] = [];
  const refused: string[] = [];
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(text, text, numberLiteral, eventTime, async (playerId, level, score, eventTime) => {
      const id = randomUUID();
      const body = `{"type":"progression","event_id":"${id}","player_id":${JSON.stringify(playerId)},"status":"complete","levels":[${JSON.stringify(level)}],"score":${score},"event_time":${JSON.stringify(eventTime)}}`;
      const r = await post(`${stack.ingestionUrl}/v1/events`, body, { "x-api-key": stack.apiKey });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status < 500).toBe(true);
      if (r.status === 202) accepted.push({ id, playerId, level, score: JSON.parse(score) as number, eventTime });
      else {
        expect(r.status).toBeGreaterThanOrEqual(400);
        refused.push(id);
        if (r.status === 422) expect((r.body.details as { path: string }[]).length).toBeGreaterThan(0);
      }
    }),
    { numRuns: 400 },
  );
  // Both outcomes happened: the generators reach values on each side of the line.
  expect(accepted.length).toBeGreaterThan(20);
  expect(refused.length).toBeGreaterThan(20);

  // The pipeline still stores an ordinary event sent after all of them.
  const after = await post(`${stack.ingestionUrl}/v1/events`, { type: "session_start", player_id: "after-the-edges" }, { "x-api-key": stack.apiKey });
  expect(after.status).toBe(202);
  const ids = [...accepted.map((a) => a.id), ...(after.body.event_ids as string[])];
  const rows = await eventually("every accepted event stored", async () => {
    const { rows } = await stack.pool.query("SELECT event_id, player_id, payload, client_time FROM player_events WHERE game_id = $1 AND event_id = ANY($2::uuid[])", [stack.gameId, ids]);
    return rows.length === ids.length ? rows : undefined;
  }, 90_000);
  const byId = new Map(rows.map((r) => [r.event_id as string, r]));
  for (const a of accepted) {
    const row = byId.get(a.id);
    expect({ id: a.id, player: row?.player_id, level: row?.payload.levels[0], score: row?.payload.score, time: row?.client_time.getTime() }).toEqual({
      id: a.id, player: a.playerId, level: a.level, score: a.score + 0, time: Date.parse(a.eventTime), // + 0: JSON has no -0
    });
  }
  const { rows: stray } = await stack.pool.query("SELECT count(*)::int AS n FROM player_events WHERE event_id = ANY($1::uuid[])", [refused]);
  expect(stray[0].n).toBe(0);
  const metrics = await (await fetch(`http://127.0.0.1:${stack.serviceEnv.PROCESSOR_OPS_PORT}/metrics`)).text();
  expect(metrics).not.toMatch(/processor_events_dlq_total\{[^}]*\} [1-9]/);
  expect(metrics).not.toMatch(/processor_db_errors_total\{[^}]*\} [1-9]/);
});
