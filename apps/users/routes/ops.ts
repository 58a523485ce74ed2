// The event path for operators (the dashboard's Operations page): the DLQ newest first, paged, with a
// preview of each payload; a replay of chosen records (or every record of a reason) after the cause
// was fixed, audited; consumer lag and the ingestion error ratio. Platform-wide: admins of every game.
import type { FastifyInstance } from "fastify";
import { appendAudit } from "../../shared/audit";
import { describeKafkaError, type DlqChoice, type InRecord, type OutRecord } from "../../shared/kafka";
import { inTransaction } from "../../shared/pg";
import { ApiError } from "../errors";
import { actorOf, platformAdmin, type RouteDeps } from "./context";

const OFFSET = { type: "string", pattern: "^[0-9]{1,19}$" } as const;
const REASON = { type: "string", pattern: "^[a-z0-9_.-]{1,64}$" } as const;

const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: { reason: REASON, before: OFFSET, limit: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
} as const;

// One of the two, and nothing else: every refusal names its field (/offsets/0, /reason).
const replayBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: { offsets: { type: "array", items: OFFSET, minItems: 1, maxItems: 200, uniqueItems: true }, reason: REASON },
} as const;

type ReplayBody = { offsets: string[]; reason?: undefined } | { reason: string; offsets?: undefined };

/** Kafka away, or refusing: the page says so, the service stays up. */
async function kafka<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(503, "kafka_unavailable", `${what}: ${describeKafkaError(err)}`);
  }
}

export function opsRoutes(app: FastifyInstance, d: RouteDeps): void {
  const admin = (req: Parameters<typeof platformAdmin>[1]) => platformAdmin(d, req, "the DLQ");

  app.get<{ Querystring: { reason?: string; before?: string; limit: number } }>("/v1/ops/dlq", { schema: { querystring: listQuery } }, async (req) => {
    await admin(req);
    return kafka("the DLQ could not be read", () => d.ops.dlq.page(req.query));
  });

  app.post<{ Body: ReplayBody }>("/v1/ops/dlq/replay", { schema: { body: replayBody } }, async (req) => {
    const p = await admin(req);
    const choice: DlqChoice = req.body.offsets !== undefined ? { offsets: req.body.offsets } : { reason: req.body.reason };
    const { chosen, missing } = await kafka("the DLQ could not be read", () => d.ops.dlq.choose(choice));
    const asked = req.body.offsets ?? [];
    const at = (offset: string) => `/offsets/${asked.indexOf(offset)}`;
    if (missing.length > 0) throw new ApiError(404, "not_found", `no DLQ record at offset ${missing.join(", ")}`, missing.map((o) => ({ path: at(o), message: "no record at this offset (never written, or deleted by retention)" })));
    if (chosen.length === 0) throw new ApiError(404, "not_found", `no DLQ record with reason ${req.body.reason ?? ""}`, [{ path: "/reason", message: "no record has this reason" }]);
    const sends: { record: InRecord; out: OutRecord }[] = [];
    const skipped: { offset: string; why: string }[] = [];
    for (const record of chosen) {
      const r = d.ops.dlq.replayOf(record);
      if ("refused" in r) skipped.push({ offset: record.offset, why: r.refused });
      else sends.push({ record, out: r });
    }
    // Chosen one by one, each must go; chosen by reason, the ones that cannot are reported and left.
    if (req.body.offsets !== undefined && skipped.length > 0) throw new ApiError(409, "not_replayable", "a chosen record cannot be replayed here", skipped.map((s) => ({ path: at(s.offset), message: s.why })));
    if (sends.length === 0) throw new ApiError(409, "not_replayable", `no record with reason ${req.body.reason ?? ""} can be replayed here`, skipped.map((s) => ({ path: "/reason", message: `offset ${s.offset}: ${s.why}` })));
    const offsets = sends.map((s) => s.record.offset);
    // The audit row commits only once Kafka acknowledged the replay (acks=all): no record of a replay that did not happen.
    await inTransaction(d.pool, async (c) => {
      await appendAudit(c, { actor: actorOf(p), action: "dlq.replay", target: `topic:${chosen[0].topic}`, details: { offsets, reason: req.body.reason ?? null, skipped: skipped.map((s) => s.offset) } });
      await kafka("the replay was not acknowledged", () => d.ops.dlq.send(sends.map((s) => s.out)));
    });
    return { replayed: offsets.length, offsets, skipped };
  });

  app.get("/v1/ops/status", async (req) => {
    await platformAdmin(d, req, "the event path's status");
    return d.ops.status();
  });
}
