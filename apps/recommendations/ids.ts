// Names of the things the model publishes: point ids, collections, the alias. Pure.
import { createHash } from "node:crypto";
import type { Kind } from "./interactions";

/** A UUID (RFC 9562 version 8, name-based) from the parts: the same name always gets the same point id. */
function nameUuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const itemPointId = (game: string, kind: Kind, item: string): string => nameUuid("item", game, kind, item);
export const playerPointId = (game: string, player: string): string => nameUuid("player", game, player);

/** The alias serving reads through; each model version is its own collection behind it. */
export const LIVE_ALIAS = "recommendations_live";
export const COLLECTION_PREFIX = "recommendations_";

export const collectionOf = (version: string): string => `${COLLECTION_PREFIX}${version}`;
export function versionOf(collection: string): string | null {
  return collection.startsWith(COLLECTION_PREFIX) ? collection.slice(COLLECTION_PREFIX.length) : null;
}

/** Model versions sort by time: v + UTC yyyymmddhhmmss + 4 random hex digits (two trainings in one second differ). */
export function newVersion(now: Date, random: string): string {
  return `v${now.toISOString().replace(/[-:T]/g, "").slice(0, 14)}${random}`;
}

/** Payload fields; `game`, `type` and `kind` carry keyword indexes. */
export const PAYLOAD_INDEXES = ["game", "type", "kind", "item", "platforms"] as const;
