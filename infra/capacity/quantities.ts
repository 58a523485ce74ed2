// Requests and pod groups, the quantities the capacity model adds up.

export interface Requests {
  readonly cpuMillis: number;
  readonly memoryMi: number;
}

export interface PodGroup {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly requests: Requests;
  /** One pod on every node (DaemonSet). */
  readonly perNode?: boolean;
  /** A Deployment's rolling update starts one extra pod before it stops an old one. */
  readonly surge?: boolean;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export const NONE: Requests = { cpuMillis: 0, memoryMi: 0 };
export const add = (a: Requests, b: Requests): Requests => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMi: a.memoryMi + b.memoryMi });
export const times = (a: Requests, n: number): Requests => ({ cpuMillis: a.cpuMillis * n, memoryMi: a.memoryMi * n });

/** `250m`, `1`, `1.5` -> millicores. */
export function cpuMillis(q: unknown): number {
  if (typeof q === "number") return Math.round(q * 1000);
  if (typeof q !== "string" || q === "") return 0;
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

/** `512Mi`, `2Gi`, `1024Ki`, `1G` -> MiB. */
export function memoryMi(q: unknown): number {
  if (typeof q === "number") return q / 2 ** 20;
  if (typeof q !== "string" || q === "") return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(q);
  if (m === null) throw new Error(`capacity: unreadable memory quantity ${q}`);
  const factor: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 ** 2, K: 1e3 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20, T: 1e12 / 2 ** 20 };
  return Number(m[1]) * (factor[m[2] ?? ""] ?? 1 / 2 ** 20);
}

/** A `resources` block's requests (`{requests: {cpu, memory}}`). */
export function requestsOf(resources: unknown): Requests {
  const r = obj(obj(resources)["requests"]);
  return { cpuMillis: cpuMillis(r["cpu"]), memoryMi: memoryMi(r["memory"]) };
}

