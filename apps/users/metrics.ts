import { serviceMetrics } from "../shared/metrics";

export type UsersMetrics = ReturnType<typeof createUsersMetrics>;

export function createUsersMetrics() {
  return serviceMetrics("users", (m) => ({
    requests: m.httpRequests({ name: "users_http_requests_total" }),
    logins: m.counter({ name: "users_staff_logins_total", help: "Staff sign-in attempts by outcome", labelNames: ["outcome"] }),
    gdprSteps: m.counter({ name: "users_gdpr_store_steps_total", help: "GDPR store steps by outcome (done, failed, waiting)", labelNames: ["kind", "store", "outcome"] }),
    gdprRequests: m.counter({ name: "users_gdpr_requests_total", help: "GDPR requests created and completed", labelNames: ["kind", "event"] }),
    /** Open requests by kind; the oldest's time left before its SLA lapses. */
    gdprOpen: m.gauge({ name: "users_gdpr_requests_open", help: "GDPR requests not complete yet", labelNames: ["kind"] }),
    gdprSecondsToDue: m.gauge({
      name: "users_gdpr_oldest_request_seconds_to_due",
      help: "Seconds until the SLA of the most urgent open request lapses (negative: overdue; absent: none open)",
      labelNames: ["kind"],
    }),
    auditAnchors: m.counter({ name: "users_audit_anchors_total", help: "Audit chain heads written to the Object Lock bucket", labelNames: ["outcome"] }),
  }));
}
