// A NetworkPolicy evaluator over captured policies (networking.k8s.io/v1 semantics): a flow passes when
// the sender's namespace lets it out and the receiver's lets it in. Pods no policy selects are not isolated.
import type { CapturedResource } from "../../../infra/tools/capture";

type Labels = Readonly<Record<string, string>>;
export type Endpoint = { readonly namespace: string; readonly labels: Labels } | { readonly ip: string };
export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: "TCP" | "UDP";
}

type Obj = Record<string, any>;
interface Policy {
  readonly namespace: string;
  readonly spec: Obj;
}

export function policiesOf(resources: readonly CapturedResource[]): Policy[] {
  return resources
    .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .map((r) => ({ namespace: String((r.inputs.metadata as Obj).namespace), spec: r.inputs.spec as Obj }));
}

const subset = (selector: Obj | undefined, labels: Labels) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const n = (a: string) => a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (n(ip) & mask) >>> 0 === (n(base) & mask) >>> 0;
}

function peerMatches(peer: Obj, policyNamespace: string, other: Endpoint): boolean {
  if ("ip" in other) return peer.ipBlock !== undefined && ipInCidr(other.ip, peer.ipBlock.cidr);
  if (peer.ipBlock !== undefined) return false;
  const nsOk = peer.namespaceSelector === undefined ? other.namespace === policyNamespace : subset(peer.namespaceSelector, { "kubernetes.io/metadata.name": other.namespace });
  return nsOk && subset(peer.podSelector, other.labels);
}

function side(policies: readonly Policy[], self: Endpoint, other: Endpoint, flow: Flow, direction: "Ingress" | "Egress"): boolean {
  if ("ip" in self) return true; // outside the cluster: no NetworkPolicy applies
  const selecting = policies.filter((p) => p.namespace === self.namespace && (p.spec.policyTypes as string[]).includes(direction) && subset(p.spec.podSelector, self.labels));
  if (selecting.length === 0) return true;
  const key = direction === "Ingress" ? "ingress" : "egress";
  const peers = direction === "Ingress" ? "from" : "to";
  return selecting.some((p) =>
    ((p.spec[key] ?? []) as Obj[]).some(
      (rule) =>
        (rule.ports === undefined || (rule.ports as Obj[]).some((port) => port.port === flow.port && (port.protocol ?? "TCP") === (flow.protocol ?? "TCP"))) &&
        (rule[peers] === undefined || (rule[peers] as Obj[]).some((peer) => peerMatches(peer, p.namespace, other))),
    ),
  );
}

/** Whether both ends' policies admit the flow. */
export function admits(policies: readonly Policy[], flow: Flow): boolean {
  return side(policies, flow.from, flow.to, flow, "Egress") && side(policies, flow.to, flow.from, flow, "Ingress");
}
