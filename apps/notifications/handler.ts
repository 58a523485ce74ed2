// The consumer's batch handler for both topics it reads: requests on `notifications`, and processed
// events for the trigger rules. Nothing here sends: a record becomes rows in the due-time table (or a
// DLQ record with its reason), so a slow provider never holds a partition. Offsets are committed
// after this resolves, so a crash replays the batch and the idempotency key makes the replay a no-op.
import type { ValidateFunction } from "ajv";
import type { InRecord, OutRecord } from "../shared/kafka";
import type { Logger } from "../shared/logger";
import { takeIn, type TakeInDeps, type TakeInResult } from "./accept";
import type { RuleCache } from "./catalog";
import { poisonRecord } from "./dlq";
import { fieldErrors } from "./intake";
import type { NotificationRequest } from "./model";
import { isProcessedEvent, matches, ruleRequest } from "./triggers";

export interface HandlerDeps extends TakeInDeps {
  topics: { intake: string; processed: string; dlq: string };
  validateRequest: ValidateFunction;
  rules: RuleCache;
  send: (records: OutRecord[]) => Promise<void>;
  logger: Logger;
}

type Poison = { record: InRecord; reason: string; detail: string };

/** Errors PostgreSQL gives for this data whatever the retry (data exceptions, constraint violations). */
function refusedByStore(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

function parse(r: InRecord): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(r.value?.toString("utf8") ?? "") };
  } catch (err) {
    return { ok: false, detail: `not JSON: ${(err as Error).message}` };
  }
}

const described = (out: Extract<TakeInResult, { kind: "invalid" }>): string => `${out.code}: ${out.errors.map((e) => `${e.path} ${e.message}`).join("; ")}`;

async function intake(r: InRecord, deps: HandlerDeps): Promise<Poison | undefined> {
  const parsed = parse(r);
  if (!parsed.ok) return { record: r, reason: "unparseable", detail: parsed.detail };
  if (!deps.validateRequest(parsed.value)) return { record: r, reason: "schema_invalid", detail: fieldErrors(deps.validateRequest.errors).map((e) => `${e.path} ${e.message}`).join("; ") };
  const out = await takeIn(deps, parsed.value as NotificationRequest, "topic");
  if (out.kind === "invalid") return { record: r, reason: out.code, detail: described(out) };
  if (out.kind === "conflict") return { record: r, reason: "idempotency_conflict", detail: `key already used by notification ${out.id} with a different request` };
  return undefined;
}

async function triggers(r: InRecord, deps: HandlerDeps): Promise<Poison | undefined> {
  const parsed = parse(r);
  // The processor validated these; one we cannot read is its problem, and not worth a DLQ record here.
  if (!parsed.ok || !isProcessedEvent(parsed.value)) return undefined;
  const event = parsed.value;
  const fired = (await deps.rules.rulesFor(event.game_id, event.type)).filter((rule) => matches(rule, event));
  const failures: string[] = [];
  for (const rule of fired) {
    const template = await deps.templates.get(rule.gameId, rule.templateId);
    if (template === undefined) {
      failures.push(`rule ${rule.ruleId}: template ${rule.templateId} is gone`);
      continue;
    }
    const out = await takeIn(deps, ruleRequest(rule, event, template), "rule");
    if (out.kind === "invalid") failures.push(`rule ${rule.ruleId}: ${described(out)}`);
  }
  return failures.length === 0 ? undefined : { record: r, reason: "rule_failed", detail: failures.join(" | ") };
}

/** Records of one batch taken in at once: they are independent (the key, not the order, makes them idempotent). */
const IN_FLIGHT = 16;

export async function handleBatch(records: readonly InRecord[], deps: HandlerDeps): Promise<{ poison: number }> {
  const poison: Poison[] = [];
  const one = async (r: InRecord): Promise<void> => {
    try {
      const p = r.topic === deps.topics.intake ? await intake(r, deps) : await triggers(r, deps);
      if (p !== undefined) poison.push(p);
    } catch (err) {
      // A refusal of this record's data must not stall the partition; anything else (the database
      // is down) fails the batch, which comes again with nothing committed.
      if (!refusedByStore(err)) throw err;
      poison.push({ record: r, reason: "store_refused", detail: (err as Error).message });
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, records.length) }, async () => {
      for (let i = next++; i < records.length; i = next++) await one(records[i]);
    }),
  );
  if (poison.length > 0) {
    const now = new Date();
    await deps.send(poison.map((p) => poisonRecord(deps.topics.dlq, p.record, p.reason, p.detail, now)));
    for (const p of poison) {
      deps.metrics.intakeDlq.inc({ reason: p.reason });
      deps.logger.warn({ reason: p.reason, detail: p.detail, topic: p.record.topic, partition: p.record.partition, offset: p.record.offset }, "record sent to the DLQ");
    }
  }
  return { poison: poison.length };
}
