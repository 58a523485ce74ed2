// Consumer lag as the operators' status shows it: per group and topic, how many records the group
// has still to commit (the topic's end offsets minus the group's committed offsets).
import { groupOffsets, type GroupOffsets } from "./admin";
import type { KafkaOptions } from "./types";

export interface TopicLag {
  readonly topic: string;
  /** Summed over the partitions the group committed on. */
  readonly lag: number;
  readonly partitions: readonly { readonly partition: number; readonly committed: string; readonly end: string; readonly lag: number }[];
}

export interface GroupLag {
  readonly group: string;
  /** The broker's view: Stable (members consuming), Empty (none), PreparingRebalance, ... */
  readonly state: string;
  readonly topics: readonly TopicLag[];
}

/** Pure: lag from committed and end offsets. A partition whose end is unknown counts no lag, never a negative one. */
export function lagOf(g: GroupOffsets, ends: ReadonlyMap<string, ReadonlyMap<number, bigint>>): GroupLag {
  const topics = [...g.committed].sort(([a], [b]) => a.localeCompare(b)).map(([topic, committed]) => {
    const partitions = [...committed].sort(([a], [b]) => a - b).map(([partition, offset]) => {
      const end = ends.get(topic)?.get(partition) ?? offset;
      return { partition, committed: offset.toString(), end: end.toString(), lag: Number(end > offset ? end - offset : 0n) };
    });
    return { topic, lag: partitions.reduce((s, p) => s + p.lag, 0), partitions };
  });
  return { group: g.group, state: g.state, topics };
}

/** Pure: group patterns (`name` exactly, or `prefix*`) as a predicate. */
export function groupMatcher(patterns: readonly string[]): (group: string) => boolean {
  return (group) => patterns.some((p) => (p.endsWith("*") ? group.startsWith(p.slice(0, -1)) : group === p));
}

/** The lag of every group the patterns admit, sorted by name. */
export async function consumerLag(o: KafkaOptions, patterns: readonly string[]): Promise<GroupLag[]> {
  const { groups, ends } = await groupOffsets(o, groupMatcher(patterns));
  return groups.map((g) => lagOf(g, ends));
}
