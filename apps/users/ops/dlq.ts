// The DLQ browser behind the operator API: system.dlq newest first, a bounded scan per page, and the
// records chosen for a replay. The record logic is the CLI's (apps/shared/kafka/dlq.ts).
import { chooseDlqRecords, DLQ_HEADERS, type DlqChoice, type DlqItem, dlqItem, dlqReplay, DurableProducer, type InRecord, type KafkaOptions, offsetBounds, type OutRecord, readRange, readWholeTopic, type Topics } from "../../shared/kafka";

export interface DlqListItem extends DlqItem {
  /** Its source topic is one this service may write (raw events): the page offers a replay. */
  readonly replayable: boolean;
}

export interface DlqPage {
  readonly topic: string;
  /** Records the topic holds now (retention deletes the oldest). */
  readonly held: number;
  readonly items: readonly DlqListItem[];
  /** Pass as `before` for the next (older) page; null when nothing older is left. */
  readonly nextBefore: string | null;
}

/** Records read per scan step, and at most per page: a rare reason on a long DLQ pages on instead of reading it all. */
const STEP = 500n;
const MAX_SCAN = 5000n;
/** Offsets asked for this far apart are read separately, not as one range between them. */
const GAP = 1000n;

export interface DlqBrowser {
  page(q: { reason?: string; limit: number; before?: string }): Promise<DlqPage>;
  /** The records of a choice, with the offsets asked for that the topic does not hold. */
  choose(choice: DlqChoice): Promise<{ chosen: InRecord[]; missing: string[] }>;
  /** The replay of a record, or why it has none here. */
  replayOf(r: InRecord): OutRecord | { refused: string };
  send(records: readonly OutRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function dlqBrowser(kafka: KafkaOptions, topics: Topics, groupPrefix: string): DlqBrowser {
  // Raw events only: this principal may write no other topic (infra/kafka/access.ts).
  const writable = new Set([topics.raw]);
  let producer: Promise<DurableProducer> | undefined;
  const connected = (): Promise<DurableProducer> => {
    producer ??= (async () => {
      const p = new DurableProducer(kafka);
      await p.connect();
      return p;
    })().catch((err: unknown) => {
      producer = undefined; // the next replay tries again
      throw err;
    });
    return producer;
  };
  /** The DLQ's one partition (the topic catalog gives it one in every tier: one order for operators). */
  const bounds = async () => {
    const all = await offsetBounds(kafka, topics.dlq);
    const only = all.get(0);
    if (only === undefined || all.size !== 1) throw new Error(`${topics.dlq} has ${all.size} partitions; the DLQ browser reads exactly one`);
    return only;
  };
  const read = (from: bigint, to: bigint) => readRange(kafka, topics.dlq, new Map([[0, { from, to }]]), 30_000, groupPrefix);
  const listItem = (r: InRecord): DlqListItem => {
    const item = dlqItem(r);
    return { ...item, replayable: item.source !== null && writable.has(item.source.topic) };
  };

  return {
    page: async ({ reason, limit, before }) => {
      const { start, end } = await bounds();
      const items: DlqListItem[] = [];
      let cursor = before === undefined || BigInt(before) > end ? end : BigInt(before);
      let nextBefore: string | null = null;
      for (let scanned = 0n; cursor > start && items.length < limit; ) {
        if (scanned >= MAX_SCAN) {
          nextBefore = cursor.toString(); // enough read for one answer: the next page goes on from here
          break;
        }
        const from = cursor - STEP > start ? cursor - STEP : start;
        const matches = (await read(from, cursor)).filter((r) => reason === undefined || r.headers[DLQ_HEADERS.reason] === reason).reverse();
        items.push(...matches.slice(0, limit - items.length).map(listItem));
        scanned += cursor - from;
        cursor = from;
        const last = items[items.length - 1];
        if (items.length === limit && BigInt(last.offset) > start) nextBefore = last.offset;
      }
      return { topic: topics.dlq, held: Number(end - start), items, nextBefore };
    },
    choose: async (choice) => {
      if (!("offsets" in choice)) return chooseDlqRecords(await readWholeTopic(kafka, topics.dlq, 60_000, groupPrefix), choice);
      const { start, end } = await bounds();
      const asked = [...new Set(choice.offsets)].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const held = asked.filter((o) => o >= start && o < end);
      const runs: bigint[][] = [];
      for (const o of held) {
        const run = runs[runs.length - 1];
        if (run !== undefined && o - run[run.length - 1] <= GAP) run.push(o);
        else runs.push([o]);
      }
      const records = (await Promise.all(runs.map((run) => read(run[0], run[run.length - 1] + 1n)))).flat();
      return chooseDlqRecords(records, choice);
    },
    replayOf: (r) => {
      const out = dlqReplay(r, topics.dlq);
      if (out === undefined) return { refused: "it names no source topic (a notification delivery given up: the notifications service retries those)" };
      if (!writable.has(out.topic)) return { refused: `its source topic ${out.topic} is not one the operator API replays into (npm run dlq -- replay ${r.offset} does, as the platform's admin)` };
      return out;
    },
    send: async (records) => (await connected()).send([...records]),
    close: async () => {
      const p = await producer?.catch(() => undefined);
      await p?.close();
    },
  };
}
