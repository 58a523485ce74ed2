// Turns a request (API body, topic record, fired rule) into the notification the store writes.
// Pure: the template comes in, the id and time come in; the same request always hashes the same.
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import { createHash } from "node:crypto";
import { canonicalJson, type Json } from "../shared/audit";
import { toFieldErrors, type FieldError } from "../shared/events/validate";
import type { Channel, NewNotification, NotificationRequest, Source, Template } from "./model";
import { dataSchema } from "./templates";

export type Prepared =
  | { ok: true; notification: NewNotification }
  | { ok: false; code: "invalid_request" | "unknown_template" | "invalid_data"; errors: FieldError[] };

const dataValidators = new WeakMap<Template, ValidateFunction>();

function validatorFor(ajv: Ajv, t: Template): ValidateFunction {
  let v = dataValidators.get(t);
  if (v === undefined) {
    v = ajv.compile(dataSchema(t.variables));
    dataValidators.set(t, v);
  }
  return v;
}

/** Field errors in the request's own terms (Ajv's wording for additional properties speaks of event types). */
export function fieldErrors(errors: Parameters<typeof toFieldErrors>[0], prefix = ""): FieldError[] {
  return toFieldErrors(errors, prefix).map((e) => (e.message.startsWith("is not an allowed field") ? { ...e, message: "is not an allowed field here" } : e));
}

/** Channels the template can serve in its default locale (so every locale falls back to something). */
export function templateChannels(t: Template): Channel[] {
  return Object.keys(t.contents[t.defaultLocale] ?? {}) as Channel[];
}

export function requestHash(r: NotificationRequest): string {
  return createHash("sha256").update(canonicalJson(r as unknown as Json)).digest("hex");
}

/** `r` has passed the request schema; `template` is the game's template of that name, if any. */
export function prepare(ajv: Ajv, r: NotificationRequest, template: Template | undefined, source: Source, id: string): Prepared {
  if (template === undefined) return { ok: false, code: "unknown_template", errors: [{ path: "/template", message: `game "${r.game_id}" has no template "${r.template}"` }] };
  const served = templateChannels(template);
  const channels = r.channels ?? served;
  const unserved = channels.flatMap((c, i) => (served.includes(c) ? [] : [{ path: `/channels/${i}`, message: `template "${template.templateId}" has no ${c} content; it serves ${served.join(", ")}` }]));
  if (unserved.length > 0) return { ok: false, code: "invalid_request", errors: unserved };
  const data = r.data ?? {};
  const validate = validatorFor(ajv, template);
  if (!validate(data)) return { ok: false, code: "invalid_data", errors: fieldErrors(validate.errors, "/data") };
  return {
    ok: true,
    notification: {
      id,
      gameId: r.game_id,
      idempotencyKey: r.idempotency_key,
      requestHash: requestHash(r),
      playerId: r.player_id,
      templateId: template.templateId,
      category: template.category,
      locale: r.locale ?? null,
      data,
      source,
      sendAt: r.send_at === undefined ? null : new Date(r.send_at),
      channels,
      digestWindowSec: template.category === "critical" ? 0 : template.digestWindowSec,
    },
  };
}
