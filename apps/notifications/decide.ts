// Whether a due delivery goes out now, later or never, from the player's consent and preferences.
// Pure: the dispatcher loads the inputs and carries out the answer.
import { localClock, quietUntil } from "./local-time";
import type { Category, Channel, Consent, Recipient } from "./model";

export type Decision =
  | { kind: "send"; cap: { limit: number; day: string } | null }
  | { kind: "suppress"; reason: SuppressReason }
  | { kind: "defer"; until: Date; reason: "quiet_hours" };

export type SuppressReason = "player_suppressed" | "unsubscribed" | "no_marketing_consent" | "opted_out" | "no_contact" | "daily_cap" | "channel_not_configured";

export interface DecisionInput {
  channel: Channel;
  category: Category;
  recipient: Recipient;
  consent: Consent;
  /** The player has an address for the channel (email, phone, a push target); in-app always has. */
  hasAddress: boolean;
  now: Date;
}

/**
 * In order: erased or suppressed players get nothing; a hard unsubscribe stops everything on the
 * channel, critical included; marketing needs consent; an opt-out stops all but critical; quiet
 * hours defer all but critical (in-app only shows while the player is in the game, so it never
 * waits); the daily cap counts all but critical.
 */
export function decide(input: DecisionInput): Decision {
  const { channel, category, recipient, consent, now } = input;
  const prefs = recipient.channels[channel];
  const critical = category === "critical";
  if (consent.suppressed) return { kind: "suppress", reason: "player_suppressed" };
  if (prefs?.unsubscribed === true) return { kind: "suppress", reason: "unsubscribed" };
  if (category === "marketing" && consent.marketingConsent !== true) return { kind: "suppress", reason: "no_marketing_consent" };
  if (!critical && prefs?.optedOut === true) return { kind: "suppress", reason: "opted_out" };
  if (!input.hasAddress) return { kind: "suppress", reason: "no_contact" };
  if (!critical && channel !== "in_app" && recipient.quietHours !== null) {
    const until = quietUntil(now, recipient.timeZone, recipient.quietHours);
    if (until !== null) return { kind: "defer", until, reason: "quiet_hours" };
  }
  const limit = critical ? null : (prefs?.dailyCap ?? null);
  return { kind: "send", cap: limit === null ? null : { limit, day: localClock(now, recipient.timeZone).date } };
}
