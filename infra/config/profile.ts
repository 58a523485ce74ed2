import type { Section } from "./fields";
import { apps } from "./sections/apps";
import { delivery } from "./sections/delivery";
import { eks } from "./sections/eks";
import { kafka } from "./sections/kafka";
import { identity } from "./sections/identity";
import { ingress } from "./sections/ingress";
import { mesh } from "./sections/mesh";
import { platform } from "./sections/platform";
import { network } from "./sections/network";
import { ALERT_RECEIVER_KEYS, observability } from "./sections/observability";
import { qdrant } from "./sections/qdrant";
import { rds } from "./sections/rds";
import { redis } from "./sections/redis";
import { retention } from "./sections/retention";
import { storage } from "./sections/storage";

import type { Tier } from "./tier";

export { TIERS, type Tier } from "./tier";

/**
 * Every config section, each overridable as structured stack config `gamemetrics:<section>`.
 * Adding a capability's sizing is one entry here plus its file in sections/.
 */
export const SECTIONS = { network, eks, rds, redis, storage, qdrant, observability, ingress, mesh, platform, kafka, apps, identity, retention, delivery } as const;

type ValueOf<S> = S extends Section<infer T> ? T : never;
export type Profile = { [K in keyof typeof SECTIONS]: ValueOf<(typeof SECTIONS)[K]> };
export type SectionName = keyof Profile;

/** The tier's defaults, before any stack override. */
export function tierDefaults(tier: Tier): Profile {
  // A JSON copy, not structuredClone: under jest, structuredClone builds arrays in the host realm,
  // which Pulumi's serializer (`instanceof Array`) then sends as {"0": ...} objects.
  const entries = Object.entries(SECTIONS).map(([name, s]) => [name, JSON.parse(JSON.stringify(s[tier]))]);
  return Object.fromEntries(entries) as Profile;
}

/**
 * `gamemetrics:` keys that are not sizing sections but are read by one component
 * (for example secrets such as alert receiver URLs). Anything else under the namespace is an error.
 */
export const OTHER_KEYS: readonly string[] = [...Object.values(ALERT_RECEIVER_KEYS)];
