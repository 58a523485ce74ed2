// The Kafka contract on the real local broker: SASL_SSL with SCRAM-SHA-512 only, and each app can do
// exactly what infra/kafka/access.ts (the table the Pulumi program turns into KafkaUsers) allows.
import { connect } from "node:net";
import { APP_ACCESS, consumerGroup, KAFKA_APPS, type KafkaApp, PREFIXED_GROUP_APPS } from "../../infra/kafka/access";
import { TOPICS, type AppTopicKey } from "../../infra/kafka/topics";
import { consumerLag, describeKafkaError, DurableProducer, KafkaOptions, runBatchConsumer } from "../../apps/shared/kafka";
import { createStack, Stack } from "./support/stack";

let stack: Stack;
let prefix: string;
beforeAll(async () => {
  stack = await createStack("acl");
  prefix = stack.topics.raw.slice(0, -TOPICS.raw.name.length);
  // one record on every app topic, so a reader that is allowed has something to read
  const admin = new DurableProducer(stack.kafka);
  await admin.connect();
  await admin.send(APP_TOPICS.map((k) => ({ topic: topic(k), key: "acl", value: "seed" })));
  await admin.close();
});
afterAll(async () => stack?.close());

const APP_TOPICS: AppTopicKey[] = ["raw", "processed", "recommendations", "notifications", "dlq"];
const topic = (k: AppTopicKey) => `${prefix}${TOPICS[k].name}`;

/** "ok", or the broker's refusal. */
async function tryWrite(o: KafkaOptions, t: string): Promise<string> {
  const p = new DurableProducer({ ...o, retries: 2 });
  try {
    await p.connect();
    await p.send([{ topic: t, key: "acl", value: "probe" }]);
    return "ok";
  } catch (err) {
    return describeKafkaError(err);
  } finally {
    await p.close().catch(() => undefined);
  }
}

/** "ok" once a record arrives through the group, or the broker's refusal. */
async function tryRead(o: KafkaOptions, group: string, t: string): Promise<string> {
  let settle: (v: string) => void = () => undefined;
  const outcome = new Promise<string>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle("timed out"), 30_000);
  const running = await runBatchConsumer({
    ...o,
    retries: 1,
    groupId: group,
    topic: t,
    sessionTimeoutMs: 6000,
    handle: async () => settle("ok"),
    onFatal: (err) => settle(describeKafkaError(err)),
  }).catch((err: Error) => (settle(describeKafkaError(err)), undefined));
  const result = await outcome;
  clearTimeout(timer);
  await running?.stop().catch(() => undefined);
  return result;
}

// An app with no write right at all is refused its idempotent producer id (cluster IdempotentWrite, KIP-679).
const refused = expect.stringMatching(/(TOPIC|GROUP|CLUSTER)_AUTHORIZATION_FAILED/);

describe.each(KAFKA_APPS)("app %s", (app: KafkaApp) => {
  const access = APP_ACCESS[app];
  const writes = new Set<AppTopicKey>(access.write);
  const reads = new Set<AppTopicKey>(access.read);

  test("writes exactly the topics it may write", async () => {
    const outcomes = await Promise.all(APP_TOPICS.map(async (k) => [k, await tryWrite(stack.kafkaAs(app), topic(k))] as const));
    for (const [k, outcome] of outcomes) expect({ topic: k, outcome }).toEqual({ topic: k, outcome: writes.has(k) ? "ok" : refused });
  });

  test("reads exactly the topics it may read, with its own consumer group only", async () => {
    // An app whose every pod sees every record reads under a group of its own per pod (`<group>.<pod>`).
    const group = `${prefix}${consumerGroup(app)}${PREFIXED_GROUP_APPS.has(app) ? ".reader-1" : ""}`;
    // one topic after the other: members of one group subscribed to different topics would rebalance each other
    const outcomes: (readonly [AppTopicKey, string])[] = [];
    for (const k of APP_TOPICS) outcomes.push([k, await tryRead(stack.kafkaAs(app), group, topic(k))]);
    for (const [k, outcome] of outcomes) expect({ topic: k, outcome }).toEqual({ topic: k, outcome: reads.has(k) ? "ok" : refused });
    const readable = access.read[0];
    if (readable !== undefined) expect(await tryRead(stack.kafkaAs(app), `${prefix}someone-elses-group`, topic(readable))).toEqual(refused);
  });
});

test("the hand-checked core of the table: ingestion only produces raw events, the processor consumes them", async () => {
  expect(await tryWrite(stack.kafkaAs("ingestion"), stack.topics.raw)).toBe("ok");
  expect(await tryRead(stack.kafkaAs("ingestion"), `${prefix}gamemetrics.ingestion`, stack.topics.raw)).toEqual(refused);
  expect(await tryWrite(stack.kafkaAs("processor"), stack.topics.raw)).toEqual(refused);
  expect(await tryWrite(stack.kafkaAs("processor"), stack.topics.dlq)).toBe("ok");
  expect(await tryRead(stack.kafkaAs("processor"), `${prefix}gamemetrics.processor`, stack.topics.raw)).toBe("ok");
});

test("the users service sees the apps' consumer lag, and no other group; it may describe their groups, never join them", async () => {
  // Committed offsets: the processor's group (its own principal) and a group of no app (the super user);
  // then two records the processor has not read yet.
  const ingestion = new DurableProducer(stack.kafkaAs("ingestion"));
  await ingestion.connect();
  await ingestion.send([{ topic: topic("raw"), key: "lag", value: "read" }]);
  expect(await tryRead(stack.kafkaAs("processor"), `${prefix}gamemetrics.processor`, topic("raw"))).toBe("ok");
  expect(await tryRead(stack.kafka, `${prefix}someone-elses-group`, topic("raw"))).toBe("ok");
  await ingestion.send([{ topic: topic("raw"), key: "lag", value: "unread" }, { topic: topic("raw"), key: "lag", value: "unread" }]);
  await ingestion.close();
  const seen = await consumerLag(stack.kafkaAs("users"), [`${prefix}gamemetrics.*`, `${prefix}someone-elses-group`]);
  const processor = seen.find((g) => g.group === `${prefix}gamemetrics.processor`);
  expect(processor?.topics.map((t) => [t.topic, t.lag])).toEqual([[topic("raw"), 2]]);
  expect(seen.map((g) => g.group)).not.toContain(`${prefix}someone-elses-group`);
  // The same lag the super user computes.
  const all = await consumerLag(stack.kafka, [`${prefix}gamemetrics.processor`]);
  expect(processor).toEqual(all[0]);
  expect(await tryRead(stack.kafkaAs("users"), `${prefix}gamemetrics.processor`, topic("dlq"))).toEqual(refused);
});

test("nothing drops to plaintext or to a wrong credential", async () => {
  const [host, port] = stack.access.bootstrap.split(":");
  // A plaintext Kafka ApiVersions request (correlation id 1) gets a TLS alert or nothing, never a Kafka answer.
  const answer = await new Promise<Buffer>((resolve) => {
    const s = connect(Number(port), host, () => s.write(Buffer.from("000000120012000300000001000667616d656d", "hex")));
    let got = Buffer.alloc(0);
    const done = () => (s.destroy(), resolve(got));
    s.on("data", (d) => (got = Buffer.concat([got, d])));
    s.on("error", done);
    s.on("close", done);
    setTimeout(done, 5000);
  });
  expect(answer.length === 0 || answer[0] === 0x15).toBe(true); // 0x15: a TLS alert record
  expect(answer.length >= 8 && answer.readInt32BE(4) === 1).toBe(false);
  const ingestion = stack.kafkaAs("ingestion");
  const security = ingestion.security as Extract<NonNullable<KafkaOptions["security"]>, { protocol: "SASL_SSL" }>;
  expect(await tryWrite({ ...ingestion, security: { ...security, password: "wrong" } }, stack.topics.raw)).toMatch(/SASL_AUTHENTICATION_FAILED/);
  // TLS without the cluster CA: the broker's certificate is not trusted.
  expect(await tryWrite({ ...ingestion, security: { ...security, caFile: undefined } }, stack.topics.raw)).toMatch(/self-signed certificate/);
});
