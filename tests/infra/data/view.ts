import type { Capture, CapturedResource } from "../../../infra/tools/capture";
import { OUTPUTS } from "../../../infra/tools/mock-outputs";
import { cachedCapture } from "../../support/captures";
import { descendants, named, ofType } from "../tree";

export const STACKS = ["dev", "staging", "prod"] as const;
export type Stack = (typeof STACKS)[number];

export const RDS = "aws:rds/instance:Instance";
export const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
export const SG = "aws:ec2/securityGroup:SecurityGroup";

/** Read helpers over a capture, for the data layer's assertions. */
export class View {
  /** Everything the data layer owns, at any depth. */
  readonly data: CapturedResource[];

  constructor(readonly capture: Capture) {
    this.data = descendants(capture, "gamemetrics:data:DataLayer::data");
  }

  /** Resources of a type anywhere in the stack. */
  ofType(type: string): CapturedResource[] {
    return ofType(this.capture.resources, type);
  }

  /** Resources of a type the data layer owns. */
  dataOfType(type: string): CapturedResource[] {
    return ofType(this.data, type);
  }

  one(type: string, name: string): CapturedResource {
    return named(this.capture.resources, type, name);
  }

  /** The resource a mock id belongs to: the mock runtime assigns ids as `<name>-id-<n>`. */
  byId(type: string, id: unknown): CapturedResource {
    const match = typeof id === "string" ? /^(.*)-id-\d+$/.exec(id) : null;
    if (match === null) throw new Error(`${String(id)} is not a mock id`);
    return this.one(type, match[1]);
  }

  /** The node security group the EKS cluster reports (what ClusterInfo hands the data layer). */
  nodeSecurityGroupId(): string {
    const [cluster] = this.ofType("eks:index:Cluster");
    const outputs = OUTPUTS["eks:index:Cluster"]({ type: cluster.type, name: cluster.name, inputs: cluster.inputs, custom: false }, "");
    return outputs.nodeSecurityGroupId as string;
  }
}

/** Distinct availability zones of the subnets a subnet group lists. */
export function subnetGroupAzs(view: View, subnetIds: unknown): string[] {
  const subnets = (subnetIds as string[]).map((id) => view.byId("aws:ec2/subnet:Subnet", id));
  return [...new Set(subnets.map((s) => s.inputs.availabilityZone as string))];
}

/** The primary RDS instance(s): those that replicate from nothing. */
export const primaryOf = (v: View) => v.ofType(RDS).filter((r) => r.inputs.replicateSourceDb === undefined);
export const replicasOf = (v: View) => v.ofType(RDS).filter((r) => r.inputs.replicateSourceDb !== undefined);

/**
 * The data layer of each stack, captured once per stack under the mock runtime (cached on disk across
 * test files) in a beforeAll of the calling file; the record is filled before its tests run.
 */
export function stackViews(): Record<Stack, View> {
  const views = {} as Record<Stack, View>;
  beforeAll(async () => {
    for (const stack of STACKS) views[stack] = new View(await cachedCapture({ stack }));
  }, 120_000);
  return views;
}
