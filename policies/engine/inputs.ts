// Readers for resource inputs as the engine hands them over: plain JSON-ish values, where
// numbers and booleans may arrive as strings (Kubernetes CR specs, Kafka configs).

export type Obj = Readonly<Record<string, unknown>>;

export function obj(value: unknown): Obj | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** Value at a dotted path (`vpcConfig.endpointPublicAccess`); undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
  let node: unknown = value;
  for (const key of path.split(".")) {
    const o = obj(node);
    if (o === undefined) return undefined;
    node = o[key];
  }
  return node;
}

export function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === "string");
}

/** A JSON document given either as text (what `JSON.stringify` produced) or as an object. */
export function jsonDoc(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** `key=value` lines as in Kafka's server.properties (MSK configurations). */
export function properties(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (str(text) ?? "").split(/\r?\n/)) {
    const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m !== null) out[m[1]] = m[2];
  }
  return out;
}
