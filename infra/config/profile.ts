import type { Section } from "./fields";
import { eks } from "./sections/eks";
import { network } from "./sections/network";
import { rds } from "./sections/rds";
import { redis } from "./sections/redis";
import { storage } from "./sections/storage";

export const TIERS = ["free", "production"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Every config section, each overridable as structured stack config `gamemetrics:<section>`.
 * Adding a capability's sizing is one entry here plus its file in sections/.
 */
export const SECTIONS = { network, eks, rds, redis, storage } as const;

type ValueOf<S> = S extends Section<infer T> ? T : never;
export type Profile = { [K in keyof typeof SECTIONS]: ValueOf<(typeof SECTIONS)[K]> };
export type SectionName = keyof Profile;

/** The tier's defaults, before any stack override. */
export function tierDefaults(tier: Tier): Profile {
  const entries = Object.entries(SECTIONS).map(([name, s]) => [name, structuredClone(s[tier])]);
  return Object.fromEntries(entries) as Profile;
}

/**
 * `gamemetrics:` keys that are not sizing sections but are read by one component
 * (for example secrets such as alert receiver URLs). Anything else under the namespace is an error.
 */
export const OTHER_KEYS: readonly string[] = [];
