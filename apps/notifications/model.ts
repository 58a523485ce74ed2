// The notifications service's vocabulary: channels, categories, requests, templates, deliveries.

export const CHANNELS = ["email", "push", "sms", "in_app"] as const;
export type Channel = (typeof CHANNELS)[number];

/** critical: receipts, security; marketing: needs the player's marketing consent; transactional: the rest. */
export const CATEGORIES = ["critical", "transactional", "marketing"] as const;
export type Category = (typeof CATEGORIES)[number];

export type Source = "api" | "topic" | "rule";

/** A request as the API and the `notifications` topic take it (the wire form, snake_case). */
export interface NotificationRequest {
  game_id: string;
  idempotency_key: string;
  player_id: string;
  template: string;
  channels?: Channel[];
  locale?: string;
  data?: Record<string, unknown>;
  send_at?: string;
}

export type VariableType = "string" | "number" | "integer" | "boolean";
export interface VariableSpec {
  type: VariableType;
  required?: boolean;
  max_length?: number;
}

/** One piece of content: subject is the email subject or the push/in-app title. */
export interface ContentParts {
  subject?: string;
  text: string;
  html?: string;
}
export type ChannelContent = ContentParts & { digest?: ContentParts };

export interface Template {
  gameId: string;
  templateId: string;
  category: Category;
  variables: Record<string, VariableSpec>;
  defaultLocale: string;
  /** locale -> channel -> content */
  contents: Record<string, Partial<Record<Channel, ChannelContent>>>;
  digestWindowSec: number;
  updatedAt: Date;
}

/** What the store writes for an accepted request. */
export interface NewNotification {
  id: string;
  gameId: string;
  idempotencyKey: string;
  requestHash: string;
  playerId: string;
  templateId: string;
  category: Category;
  locale: string | null;
  data: Record<string, unknown>;
  source: Source;
  sendAt: Date | null;
  channels: Channel[];
  /** 0: no digest. */
  digestWindowSec: number;
}

export type AcceptResult =
  | { status: "accepted"; id: string; deliveries: number }
  | { status: "duplicate"; id: string }
  /** The key was used before with a different request. */
  | { status: "conflict"; id: string };

/** A claimed delivery with what the dispatcher needs of its notification. */
export interface ClaimedDelivery {
  deliveryId: string;
  /** This claim's token: every later update of the delivery names it. */
  leaseId: string;
  notificationId: string;
  gameId: string;
  playerId: string;
  channel: Channel;
  attempts: number;
  /** The previous claim expired mid-send: its attempt is recorded as interrupted. */
  wasInterrupted: boolean;
  digestKey: string | null;
  rendered: ContentParts | null;
  templateId: string;
  category: Category;
  locale: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** The player's contact points and preferences, as the dispatcher judges them. */
export interface Recipient {
  email: string | null;
  phone: string | null;
  locale: string | null;
  timeZone: string;
  quietHours: { start: string; end: string } | null;
  channels: Partial<Record<Channel, { optedOut: boolean; unsubscribed: boolean; dailyCap: number | null }>>;
}

export const NO_RECIPIENT: Recipient = { email: null, phone: null, locale: null, timeZone: "UTC", quietHours: null, channels: {} };

export interface PushTarget {
  targetId: string;
  kind: "webpush" | "fcm";
  endpoint: string;
  p256dh: string | null;
  auth: string | null;
}

/** Consent and suppression from the identity side (see consent.ts). */
export interface Consent {
  /** Erased, or consent withdrawn: nothing at all. */
  suppressed: boolean;
  /** undefined: the player has no profile, so no consent was ever given. */
  marketingConsent: boolean | undefined;
}
