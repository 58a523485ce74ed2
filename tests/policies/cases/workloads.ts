import { merge, one, res, type RuleCase } from "./support";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gamemetrics-prod/ingestion:1.4.2";

/** A compliant container, as the workload component renders one. */
export const CONTAINER = {
  name: "app",
  image: IMAGE,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  readinessProbe: { httpGet: { path: "/health/ready", port: 9090 } },
  livenessProbe: { httpGet: { path: "/health/live", port: 9090 } },
};
const POD = { serviceAccountName: "ingestion", securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [CONTAINER] };

/** A Deployment with the pod spec patched and optionally its one container patched. */
export function deployment(pod: Record<string, unknown> = {}, container: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  const spec = merge({ ...POD, containers: [merge(CONTAINER, container)] }, pod);
  return res(
    DEPLOYMENT,
    merge(
      {
        metadata: { name: "ingestion", namespace: "gamemetrics" },
        spec: { replicas: 2, selector: { matchLabels: { app: "ingestion" } }, template: { metadata: { labels: { app: "ingestion" } }, spec } },
      },
      meta,
    ),
    "ingestion",
  );
}

const cronJob = (container: Record<string, unknown>) =>
  res("kubernetes:batch/v1:CronJob", {
    metadata: { name: "retention", namespace: "gamemetrics" },
    spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...POD, containers: [merge(CONTAINER, container)] } } } } },
  });
const withInit = (init: Record<string, unknown>) => deployment({ initContainers: [merge(CONTAINER, init)] });

export const WORKLOAD_CASES: Record<string, RuleCase> = {
  "k8s-run-as-non-root": {
    pass: one(deployment(), deployment({ securityContext: { runAsNonRoot: true } }, { securityContext: { runAsNonRoot: undefined } })),
    fail: one(
      deployment({}, { securityContext: { runAsNonRoot: false } }),
      deployment({}, { securityContext: { runAsUser: 0 } }),
      cronJob({ securityContext: { runAsNonRoot: undefined } }),
      withInit({ name: "migrate", securityContext: { runAsNonRoot: undefined } }),
    ),
  },
  "k8s-no-privilege-escalation": {
    pass: one(deployment(), cronJob({})),
    fail: one(deployment({}, { securityContext: { allowPrivilegeEscalation: true } }), deployment({}, { securityContext: { allowPrivilegeEscalation: undefined } })),
  },
  "k8s-no-privileged": { pass: one(deployment()), fail: one(deployment({}, { securityContext: { privileged: true } })) },
  "k8s-no-host-namespaces": {
    pass: one(deployment(), deployment({ hostNetwork: false })),
    fail: one(deployment({ hostNetwork: true }), deployment({ hostPID: true }), deployment({ hostIPC: true })),
  },
  "k8s-drop-capabilities": {
    pass: one(deployment(), deployment({}, { securityContext: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } })),
    fail: one(
      deployment({}, { securityContext: { capabilities: { drop: ["NET_RAW"] } } }),
      deployment({}, { securityContext: { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } }),
      deployment({}, { securityContext: { capabilities: undefined } }),
    ),
  },
  "k8s-seccomp-runtime-default": {
    pass: one(deployment(), deployment({ securityContext: { seccompProfile: undefined } }, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } })),
    fail: one(
      deployment({ securityContext: { seccompProfile: undefined } }),
      deployment({ securityContext: { seccompProfile: { type: "Unconfined" } } }),
      deployment({}, { securityContext: { seccompProfile: { type: "Unconfined" } } }),
    ),
  },
  "k8s-resources": {
    pass: one(deployment()),
    fail: one(
      deployment({}, { resources: { limits: undefined } }),
      deployment({}, { resources: { requests: { cpu: undefined } } }),
      deployment({}, { resources: undefined }),
    ),
  },
  "k8s-image-tag": {
    pass: one(deployment(), deployment({}, { image: "quay.io/strimzi/kafka@sha256:abc" }), deployment({}, { image: "localhost:5000/app:1.0" })),
    fail: one(deployment({}, { image: "nginx" }), deployment({}, { image: "nginx:latest" }), deployment({}, { image: "localhost:5000/app" })),
  },
  "k8s-image-pinned": {
    pass: one(deployment(), deployment({}, { image: "qdrant/qdrant:v1.12.0@sha256:0123" })),
    fail: one(deployment({}, { image: "qdrant/qdrant:v1.12.0" })),
  },
  "k8s-probes": {
    // Init containers and CronJobs run to completion: no probes expected.
    pass: one(deployment(), withInit({ name: "migrate", readinessProbe: undefined, livenessProbe: undefined }), cronJob({ readinessProbe: undefined, livenessProbe: undefined })),
    fail: one(deployment({}, { readinessProbe: undefined }), deployment({}, { livenessProbe: undefined })),
  },
  "k8s-dedicated-service-account": {
    pass: one(deployment()),
    fail: one(deployment({ serviceAccountName: "default" }), deployment({ serviceAccountName: undefined })),
  },
};
