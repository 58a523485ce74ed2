import { Counter, Gauge, Registry } from "prom-client";
import { createRegistry } from "../shared/metrics";

export interface UsersMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  logins: Counter<"outcome">;
  gdprSteps: Counter<"kind" | "store" | "outcome">;
  gdprRequests: Counter<"kind" | "event">;
  /** Open requests by kind; the oldest's time left before its SLA lapses. */
  gdprOpen: Gauge<"kind">;
  gdprSecondsToDue: Gauge<"kind">;
  auditAnchors: Counter<"outcome">;
}

export function createUsersMetrics(): UsersMetrics {
  const registry = createRegistry("users");
  return {
    registry,
    requests: new Counter({ name: "users_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "method", "status"], registers: [registry] }),
    logins: new Counter({ name: "users_staff_logins_total", help: "Staff sign-in attempts by outcome", labelNames: ["outcome"], registers: [registry] }),
    gdprSteps: new Counter({ name: "users_gdpr_store_steps_total", help: "GDPR store steps by outcome (done, failed, waiting)", labelNames: ["kind", "store", "outcome"], registers: [registry] }),
    gdprRequests: new Counter({ name: "users_gdpr_requests_total", help: "GDPR requests created and completed", labelNames: ["kind", "event"], registers: [registry] }),
    gdprOpen: new Gauge({ name: "users_gdpr_requests_open", help: "GDPR requests not complete yet", labelNames: ["kind"], registers: [registry] }),
    gdprSecondsToDue: new Gauge({
      name: "users_gdpr_oldest_request_seconds_to_due",
      help: "Seconds until the SLA of the most urgent open request lapses (negative: overdue; absent: none open)",
      labelNames: ["kind"],
      registers: [registry],
    }),
    auditAnchors: new Counter({ name: "users_audit_anchors_total", help: "Audit chain heads written to the Object Lock bucket", labelNames: ["outcome"], registers: [registry] }),
  };
}
