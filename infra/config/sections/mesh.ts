import { bool, int, section } from "../fields";

export interface MeshProfile {
  /** Linkerd mTLS between meshed workloads (apps, data). */
  enabled: boolean;
  /** Replicas of each control-plane deployment (identity, destination, proxy injector). */
  controlPlaneReplicas: number;
  /** Lifetime of the identity issuer certificate; it is re-issued by `pulumi up` in its last 30 days. */
  issuerValidityDays: number;
}

export const mesh = section<MeshProfile>({
  fields: {
    enabled: bool(),
    controlPlaneReplicas: int(1, 5),
    issuerValidityDays: int(31, 730),
  },
  // Off on free: a proxy in every app and data pod would not fit beside the platform on the free nodes.
  free: { enabled: false, controlPlaneReplicas: 1, issuerValidityDays: 365 },
  production: { enabled: true, controlPlaneReplicas: 3, issuerValidityDays: 365 },
});
