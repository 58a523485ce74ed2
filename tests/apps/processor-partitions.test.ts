// A day's partition can disappear under a running processor (the retention job archives and drops
// old days). A late event for that day must be stored in a partition made again, not refused as bad
// data nor retried forever: the processor forgets the day it had cached and makes the partition anew.
import { randomUUID } from "node:crypto";
import { createStack, eventually, post, type Stack } from "./support/stack";
import { type ScratchDb, scratchDatabase } from "./support/scratch-db";

let db: ScratchDb;
let stack: Stack;
beforeAll(async () => {
  db = await scratchDatabase("partitions"); // the test drops a whole day: nobody else's rows are in it
  stack = await createStack("partitions", undefined, undefined, db.url);
  await stack.startProcessor();
  await stack.startIngestion();
});
afterAll(async () => {
  await stack?.close();
  await db?.drop();
});

const send = async () => {
  const id = randomUUID();
  expect((await post(`${stack.ingestionUrl}/v1/events`, { type: "design", player_id: "p1", event_id: id, design_id: "ui.x" }, { "x-api-key": stack.apiKey })).status).toBe(202);
  return id;
};
const storedIds = async () => new Set((await db.pool.query<{ event_id: string }>("SELECT event_id FROM player_events")).rows.map((r) => r.event_id));

it("stores an event for a day whose partition was dropped after the processor first saw it", async () => {
  const first = await send();
  await eventually("the first event stored", async () => ((await storedIds()).has(first) ? true : undefined));
  const { rows } = await db.pool.query<{ part: string }>("SELECT c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'player_events'::regclass");
  expect(rows).toHaveLength(1);
  await db.pool.query(`DROP TABLE ${rows[0].part}`); // as the retention job drops an archived day

  const late = await send();
  await eventually("the late event stored in a partition made again", async () => ((await storedIds()).has(late) ? true : undefined), 30_000);
  expect((await storedIds()).has(first)).toBe(false); // it went with its dropped partition
});
