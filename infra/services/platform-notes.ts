import type { PlatformConfig } from "../config";

/** Plan notes of the edge, mesh, backups and admission policy: what a reader of the plan must not miss. */

export function edgeNote({ profile }: PlatformConfig): string {
  const i = profile.ingress;
  const tls = i.certificateArn === "" ? "HTTP only (no gamemetrics:ingress.certificateArn: no TLS listener)" : "HTTPS with the ACM certificate, HTTP redirected";
  return `edge: public APIs behind one internet-facing ALB, ${tls}; WAF blocks a client IP past ${i.rateLimitPerIp} requests per ${i.rateLimitWindowSeconds} s (WAF is billed: ~$5/month per web ACL + $1 per rule + $0.60 per million requests)`;
}

export function meshNote({ profile }: PlatformConfig): string {
  return profile.mesh.enabled
    ? `mesh: Linkerd mTLS between the apps and data namespaces (${profile.mesh.controlPlaneReplicas} control-plane replicas; issuer certificate valid ${profile.mesh.issuerValidityDays} days, re-issued by pulumi up in its last 30)`
    : "mesh: off (gamemetrics:mesh.enabled=false): in-cluster traffic between pods is not encrypted, except Kafka's own TLS";
}

export function backupsNote({ profile }: PlatformConfig): string {
  const p = profile.platform;
  return p.backups
    ? `backups: Velero daily (${p.backupSchedule} UTC) to the backups bucket with EBS snapshots, kept ${p.backupTtlDays} days`
    : "backups: Velero off (gamemetrics:platform.backups=false): cluster objects and volumes are not backed up";
}

export function admissionNote({ profile }: PlatformConfig): string {
  return profile.platform.policyMode === "Enforce"
    ? "admission: Kyverno baseline pod-security policies enforced (violating pods are rejected)"
    : "admission: Kyverno baseline pod-security policies in Audit mode (violations are reported, not blocked)";
}

export const PLATFORM_NOTES = [edgeNote, meshNote, backupsNote, admissionNote] as const;
