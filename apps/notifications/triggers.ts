// Trigger rules on player.events.processed: which rules an event fires, and the request each makes.
// Idempotent by construction: the key names the rule and the event (or the player, for once-only
// rules such as "first purchase"), so a redelivered event finds its notification already there.
import type { Rule } from "./catalog";
import type { NotificationRequest, Template } from "./model";

export type ProcessedEvent = Record<string, unknown> & { event_id: string; game_id: string; player_id: string; type: string };

export function isProcessedEvent(v: unknown): v is ProcessedEvent {
  const e = v as Record<string, unknown> | null;
  return typeof e === "object" && e !== null && ["event_id", "game_id", "player_id", "type"].every((k) => typeof e[k] === "string");
}

/**
 * The event is of the rule's type, arrived after the rule was saved (a new rule never fires for the
 * topic's backlog), and every field the rule lists equals the event's (or is one of the listed values).
 */
export function matches(rule: Rule, e: ProcessedEvent): boolean {
  if (rule.eventType !== e.type) return false;
  const received = typeof e.received_at === "string" ? Date.parse(e.received_at) : Number.NaN;
  if (!(received >= rule.since.getTime())) return false;
  return Object.entries(rule.match).every(([field, want]) => (Array.isArray(want) ? want.includes(e[field] as never) : e[field] === want));
}

/** The request a fired rule makes: the template's declared variables, taken from the event's fields. */
export function ruleRequest(rule: Rule, e: ProcessedEvent, template: Template): NotificationRequest {
  const data = Object.fromEntries(Object.keys(template.variables).flatMap((k) => (e[k] === undefined ? [] : [[k, e[k]]])));
  return {
    game_id: e.game_id,
    idempotency_key: rule.oncePerPlayer ? `rule:${rule.ruleId}:player:${e.player_id}` : `rule:${rule.ruleId}:event:${e.event_id}`,
    player_id: e.player_id,
    template: rule.templateId,
    channels: rule.channels,
    data,
  };
}
