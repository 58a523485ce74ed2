import { bool, int, oneOf, section, text } from "../fields";

export const POLICY_MODES = ["Audit", "Enforce"] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

export interface PlatformProfile {
  /** External Secrets Operator controller replicas. */
  externalSecretsReplicas: number;
  /** Kyverno pod-security (baseline) policies: report only, or reject violating pods. */
  policyMode: PolicyMode;
  /** Kyverno admission controller replicas (3 for a highly available webhook). */
  policyReplicas: number;
  /** metrics-server replicas (HPA depends on it). */
  metricsServerReplicas: number;
  /** Velero backups of cluster objects and EBS volumes to the backups bucket. */
  backups: boolean;
  /** Cron schedule (UTC) of the daily Velero backup. */
  backupSchedule: string;
  backupTtlDays: number;
}

const CRON = /^(\S+\s+){4}\S+$/;

export const platform = section<PlatformProfile>({
  fields: {
    externalSecretsReplicas: int(1, 5),
    policyMode: oneOf(...POLICY_MODES),
    policyReplicas: int(1, 5),
    metricsServerReplicas: int(1, 3),
    backups: bool(),
    backupSchedule: text(CRON, 'a five-field cron expression such as "0 3 * * *"'),
    backupTtlDays: int(1, 3650),
  },
  free: {
    externalSecretsReplicas: 1,
    policyMode: "Audit",
    policyReplicas: 1,
    metricsServerReplicas: 1,
    backups: false,
    backupSchedule: "0 3 * * *",
    backupTtlDays: 7,
  },
  production: {
    externalSecretsReplicas: 2,
    policyMode: "Enforce",
    policyReplicas: 3,
    metricsServerReplicas: 2,
    backups: true,
    backupSchedule: "0 3 * * *",
    backupTtlDays: 30,
  },
});
