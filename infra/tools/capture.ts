import * as pulumi from "@pulumi/pulumi";
import { mockCall, mockOutputs } from "./mock-outputs";
import { readStackConfig } from "./stack-config";

/** One registered resource as the engine would see it. */
export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs after every Output resolved; secrets shown as "[secret]". */
  readonly inputs: Record<string, unknown>;
  /** `type::name` of the parent resource; absent for children of the stack. */
  readonly parent?: string;
  /** The resource's URN as the engine names it in state. */
  readonly urn: string;
  /** Types this resource was registered under before (`aliases: [{ type }]`), so a rename keeps its state. */
  readonly aliasTypes?: readonly string[];
  /** `type::name` of every resource it waits for (`dependsOn`), so ordering can be asserted offline. */
  readonly dependsOn?: readonly string[];
}

export interface Capture {
  readonly stack: string;
  readonly outputs: Record<string, unknown>;
  readonly resources: readonly CapturedResource[];
}

export interface CaptureOptions {
  readonly stack: string;
  /** `key=value` config overrides, dotted paths into structured values allowed. */
  readonly config?: readonly string[];
  /** The program to run; the platform's own by default. */
  readonly program?: () => Promise<Record<string, unknown>>;
}

export const SECRET = "[secret]";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK_TYPE = "pulumi:pulumi:Stack";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): unknown;
  getAliasesList(): { getSpec(): { getType(): string } | undefined }[];
  getDependenciesList(): string[];
}
interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
}

/**
 * Runs the real program for a stack under Pulumi's mock runtime and returns every registered resource.
 * Runs as a preview, so an output the mocks fail to provide resolves to unknown instead of
 * silently to undefined; any unknown left in an input is an error naming the resource and path.
 */
export async function capture(opts: CaptureOptions): Promise<Capture> {
  const { values, secretKeys } = readStackConfig(opts.stack, opts.config ?? []);
  pulumi.runtime.setAllConfig(values, secretKeys);

  let counter = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = `${args.name}-id-${++counter}`;
        return { id: args.custom === false ? undefined : id, state: mockOutputs(args, id) };
      },
      call: (args) => mockCall(args.token, args.inputs),
    },
    "gamemetrics",
    opts.stack,
    true,
  );
  const registrations = recordRegistrations(pulumi.runtime.getMonitor() as unknown as PatchableMonitor);

  // Loaded only now, after config and mocks are in place.
  const program = opts.program ?? (await import("../program")).program;
  // An error thrown by the program (a ConfigError, say) would otherwise surface as an unhandled
  // rejection inside the stack resource; keep it and rethrow once the runtime has drained.
  let programError: unknown;
  const guarded = () =>
    program().catch((err: unknown) => {
      programError = err;
      return {};
    });
  const outputs = (await pulumi.runtime.runInPulumiStack(guarded)) ?? {};
  await pulumi.runtime.disconnect();
  if (programError !== undefined) throw programError;

  const byUrn = new Map(registrations.map((r) => [r.urn, r]));
  // The engine's URN type chain: every ancestor's type but the root stack's, then the resource's own
  // (the mock monitor keeps only the parent's last type, so URNs are rebuilt here).
  const chain = (r: Registration): string => {
    const parent = byUrn.get(r.parentUrn);
    return parent === undefined || parent.type === STACK_TYPE ? r.type : `${chain(parent)}$${r.type}`;
  };
  const resources = registrations
    .filter((r) => r.type !== STACK_TYPE)
    .map((r): CapturedResource => {
      const { type, name, inputs, aliasTypes } = r;
      const parent = byUrn.get(r.parentUrn);
      const urn = `urn:pulumi:${opts.stack}::${pulumi.getProject()}::${chain(r)}::${name}`;
      const dependsOn = r.dependencyUrns.flatMap((u) => {
        const d = byUrn.get(u);
        return d === undefined ? [] : [`${d.type}::${d.name}`];
      });
      const own = { type, name, inputs, urn, ...(aliasTypes.length > 0 ? { aliasTypes } : {}), ...(dependsOn.length > 0 ? { dependsOn } : {}) };
      return parent === undefined || parent.type === STACK_TYPE ? own : { ...own, parent: `${parent.type}::${parent.name}` };
    });
  const unknown = resources.flatMap((r) => unknownPaths(r.inputs).map((p) => `  ${r.type} ${r.name}: ${p}`));
  if (unknown.length > 0) {
    throw new Error(`offline capture: inputs left unknown (add the missing mock output in infra/tools/mock-outputs.ts):\n${unknown.join("\n")}`);
  }
  return { stack: opts.stack, outputs: clean(outputs) as Record<string, unknown>, resources };
}

interface Registration {
  urn: string;
  type: string;
  name: string;
  parentUrn: string;
  inputs: Record<string, unknown>;
  aliasTypes: string[];
  dependencyUrns: string[];
}

/** The mock monitor does not tell mocks the parent; wrap it to keep type, name, parent and inputs. */
function recordRegistrations(monitor: PatchableMonitor): Registration[] {
  const registrations: Registration[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req, callback) => {
    const inputs = pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>;
    registrations.push({
      urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
      type: req.getType(),
      name: req.getName(),
      parentUrn: req.getParent(),
      inputs: clean(inputs) as Record<string, unknown>,
      dependencyUrns: req.getDependenciesList(),
      aliasTypes: req.getAliasesList().flatMap((a) => {
        const t = a.getSpec()?.getType() ?? "";
        return t === "" ? [] : [t];
      }),
    });
    return register(req, callback);
  };
  return registrations;
}

/** Unwraps secrets to "[secret]", marks unknowns, drops undefined, so inputs print and compare as plain JSON. */
export function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return SECRET;
  if (record.__pulumiUnknown === true) return UNKNOWN;
  if (pulumi.Resource.isInstance(value)) return `[resource]`;
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v)]));
}

function unknownPaths(value: unknown, path = ""): string[] {
  if (value === UNKNOWN) return [path || "(root)"];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, path ? `${path}.${k}` : k));
  }
  return [];
}
