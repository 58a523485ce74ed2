// The audit log for operators (the dashboard's Operations page): newest first, filtered by action
// prefix, paged by sequence number; and the chain check `npm run audit -- verify` runs. Platform-wide,
// so only admins of every game may read it.
import type { FastifyInstance } from "fastify";
import { verifyAuditChain } from "../../shared/audit";
import { platformAdmin, type RouteDeps } from "./context";

const query = {
  type: "object",
  additionalProperties: false,
  properties: {
    action: { type: "string", pattern: "^[a-z0-9_.]{1,64}$" },
    before: { type: "integer", minimum: 1 },
    limit: { type: "integer", minimum: 1, maximum: 200, default: 50 },
  },
} as const;

interface Query {
  action?: string;
  before?: number;
  limit: number;
}

export function auditRoutes(app: FastifyInstance, d: RouteDeps): void {
  const admin = (req: Parameters<typeof platformAdmin>[1]) => platformAdmin(d, req, "the audit log");

  app.get<{ Querystring: Query }>("/v1/audit", { schema: { querystring: query } }, async (req) => {
    await admin(req);
    const { action, before, limit } = req.query;
    const { rows } = await d.pool.query<{ seq: string; at: Date; actor: string; action: string; target: string; details: unknown }>(
      `SELECT seq, at, actor, action, target, details FROM audit_log
       WHERE ($1::text IS NULL OR action = $1 OR starts_with(action, $1 || '.')) AND ($2::bigint IS NULL OR seq < $2)
       ORDER BY seq DESC LIMIT $3`,
      [action ?? null, before ?? null, limit],
    );
    const entries = rows.map((r) => ({ seq: Number(r.seq), at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, details: r.details }));
    return { entries, nextBefore: entries.length === limit ? entries[entries.length - 1].seq : null };
  });

  app.get("/v1/audit/verify", async (req) => {
    await admin(req);
    return verifyAuditChain(d.pool);
  });
}
