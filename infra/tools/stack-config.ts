import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { rawFromConfigMap, resolveConfig, type PlatformConfig } from "../config";

/** Project root: where Pulumi.yaml and the stack files live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;

export interface StackConfig {
  /** Full config map as the Pulumi engine hands it to a program: `ns:key` -> string (JSON for structured values). */
  readonly values: Record<string, string>;
  readonly secretKeys: string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` and applies `key=value` overrides, where key may have a dotted path
 * into a structured value (`gamemetrics:rds.multiAz=false`), as `pulumi config set --path` does.
 * Encrypted (`secure:`) values cannot be decrypted offline: they become placeholder secrets.
 */
export function readStackConfig(stack: string, overrides: readonly string[] = [], root = PROJECT_ROOT): StackConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${path.basename(file)}; allowed stacks: ${STACKS.join(", ")}`);
  }
  const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const structured: Record<string, unknown> = { ...(doc.config ?? {}) };
  const secretKeys = new Set<string>();

  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) throw new Error(`--config ${JSON.stringify(override)}: expected key=value, e.g. gamemetrics:rds.multiAz=false`);
    setPath(structured, override.slice(0, eq), parseValue(override.slice(eq + 1)));
  }

  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(structured)) {
    if (isSecure(value)) {
      secretKeys.add(key);
      values[key] = "offline-placeholder-secret";
    } else {
      values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { values, secretKeys: [...secretKeys] };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `ns:section.a.b` sets structured[ns:section].a.b; a key without a dot is set whole. */
function setPath(structured: Record<string, unknown>, key: string, value: unknown): void {
  const [top, ...rest] = key.split(".");
  if (rest.length === 0) {
    structured[top] = value;
    return;
  }
  let node = (structured[top] ??= {}) as Record<string, unknown>;
  for (const part of rest.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[rest[rest.length - 1]] = value;
}

/** The resolved config for a stack, exactly as the program will see it (validated). */
export function stackPlatformConfig(stack: string, overrides: readonly string[]): PlatformConfig {
  return resolveConfig(stack, rawFromConfigMap(readStackConfig(stack, overrides).values));
}
