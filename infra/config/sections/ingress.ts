import { bool, type Field, int, section, text } from "../fields";

/** WAF rate-based rules count requests over one of these windows (seconds). */
export const RATE_LIMIT_WINDOWS = [60, 120, 300, 600] as const;
export type RateLimitWindow = (typeof RATE_LIMIT_WINDOWS)[number];

const windowField: Field<RateLimitWindow> = {
  allowed: `one of ${RATE_LIMIT_WINDOWS.join(", ")}`,
  parse: (raw) => (RATE_LIMIT_WINDOWS as readonly unknown[]).includes(raw) ? (raw as RateLimitWindow) : undefined,
};

export interface IngressProfile {
  /** ACM certificate for the HTTPS listener; "" means none, which only the free tier allows (HTTP only). */
  certificateArn: string;
  /** AWS Load Balancer Controller replicas. */
  controllerReplicas: number;
  /** Requests one client IP may send per window before the WAF blocks it at the edge. */
  rateLimitPerIp: number;
  rateLimitWindowSeconds: RateLimitWindow;
  /** ALB deletion protection: production keeps its DNS name through a bad deploy. */
  deletionProtection: boolean;
}

const ACM_ARN = /^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

export const ingress = section<IngressProfile>({
  fields: {
    certificateArn: text(ACM_ARN, 'an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>), or "" for none'),
    controllerReplicas: int(1, 5),
    rateLimitPerIp: int(10, 2_000_000_000),
    rateLimitWindowSeconds: windowField,
    deletionProtection: bool(),
  },
  free: { certificateArn: "", controllerReplicas: 1, rateLimitPerIp: 1000, rateLimitWindowSeconds: 300, deletionProtection: false },
  production: { certificateArn: "", controllerReplicas: 2, rateLimitPerIp: 3000, rateLimitWindowSeconds: 300, deletionProtection: true },
});
