// The one path every request takes in (API, topic, fired rule): template, channels and data checked,
// consent looked at, then the idempotent write, then the dispatcher woken.
import type Ajv from "ajv";
import { randomUUID } from "node:crypto";
import type { Pool } from "pg";
import type { FieldError } from "../shared/events/validate";
import type { TemplateCache } from "./catalog";
import type { ConsentSource } from "./consent";
import { prepare, requestHash, templateChannels } from "./intake";
import type { NotificationsMetrics } from "./metrics";
import type { Channel, NotificationRequest, Source } from "./model";
import { accept } from "./queue";

export type TakeInResult =
  | { kind: "accepted" | "duplicate" | "conflict"; id: string }
  | { kind: "invalid"; code: string; errors: FieldError[] }
  /** Erased or without consent: acknowledged and dropped, nothing stored. */
  | { kind: "suppressed" };

export interface TakeInDeps {
  pool: Pool;
  ajv: Ajv;
  templates: TemplateCache;
  consent: ConsentSource;
  /** Channels this platform can deliver on. */
  channels: readonly Channel[];
  metrics: NotificationsMetrics;
  wake: () => void;
}

export async function takeIn(deps: TakeInDeps, r: NotificationRequest, source: Source): Promise<TakeInResult> {
  const out = await judgeAndWrite(deps, r, source);
  deps.metrics.accepted.inc({ source, outcome: out.kind });
  if (out.kind === "accepted") deps.wake();
  return out;
}

async function judgeAndWrite(deps: TakeInDeps, r: NotificationRequest, source: Source): Promise<TakeInResult> {
  const template = await deps.templates.get(r.game_id, r.template);
  const unconfigured = (r.channels ?? []).flatMap((c, i) => (deps.channels.includes(c) ? [] : [{ path: `/channels/${i}`, message: `${c} is not configured on this platform; configured: ${deps.channels.join(", ")}` }]));
  if (unconfigured.length > 0) return { kind: "invalid", code: "channel_not_configured", errors: unconfigured };
  const request = r.channels === undefined && template !== undefined ? { ...r, channels: templateChannels(template).filter((c) => deps.channels.includes(c)) } : r;
  if (request.channels?.length === 0) return { kind: "invalid", code: "channel_not_configured", errors: [{ path: "/template", message: "none of the template's channels is configured on this platform" }] };
  const prepared = prepare(deps.ajv, request, template, source, randomUUID());
  if (!prepared.ok) return { kind: "invalid", code: prepared.code, errors: prepared.errors };
  const consent = (await deps.consent.lookup(r.game_id, [r.player_id])).get(r.player_id);
  if (consent?.suppressed === true) return { kind: "suppressed" };
  // The hash is of the request as sent (before channel defaults), so the same retry always matches.
  const res = await accept(deps.pool, { ...prepared.notification, requestHash: requestHash(r) });
  return { kind: res.status, id: res.id };
}
