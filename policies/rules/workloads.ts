import { ALWAYS, flagAt, flagProblem, type FlagRequirement, missingProblem, PRODUCTION, problems, resourceRule } from "../engine/define";
import { at, obj, type Obj, str, strings } from "../engine/inputs";
import { containersOf, type NamedContainer, podSpec, SERVING_TYPES, WORKLOAD_TYPES } from "../engine/k8s";
import type { PolicyResource, ResourceRule, Rule, RuleInfo } from "../engine/types";

/** A container's securityContext setting (a dotted path), resolved as Kubernetes does: see `securitySetting`. */
type SecuritySetting = (path: string) => unknown;

type ContainerCheck = (c: NamedContainer, security: SecuritySetting) => string | undefined;

/** securityContext fields a pod may set for all its containers (PodSecurityContext); the others are per container. */
const POD_LEVEL_SECURITY = new Set(["runAsUser", "runAsGroup", "runAsNonRoot", "seLinuxOptions", "seccompProfile", "windowsOptions", "appArmorProfile"]);

/** The container's own setting, falling back to the pod-level one only for the fields Kubernetes inherits. */
function securitySetting(c: NamedContainer, pod: Obj, path: string): unknown {
  const own = at(c.spec, `securityContext.${path}`);
  return POD_LEVEL_SECURITY.has(path.split(".")[0]) ? own ?? at(pod, `securityContext.${path}`) : own;
}

/** A rule applied to every container of every workload (or of `types`); messages name the container. */
function containerRule(def: RuleInfo & { check: ContainerCheck; types?: readonly string[]; includeInit?: boolean }): ResourceRule {
  const { check, types = WORKLOAD_TYPES, includeInit = true, ...info } = def;
  return resourceRule({
    ...info,
    appliesTo: types,
    check(r: PolicyResource) {
      const pod = podSpec(r);
      return containersOf(r)
        .filter((c) => includeInit || !c.init)
        .flatMap((c) => {
          const problem = check(c, (path) => securitySetting(c, pod, path));
          return problem === undefined ? [] : [`container ${c.name}: ${problem}`];
        });
    },
  });
}

/** A container rule that requires one boolean securityContext setting, `flag`, to be set as `required`. */
function securityFlagRule(def: RuleInfo & { flag: string; required: FlagRequirement }): ResourceRule {
  const { flag, required, ...info } = def;
  return containerRule({ ...info, check: (_, security) => flagProblem(flag, security(flag), required) });
}

const nonRoot = containerRule({
  name: "k8s-run-as-non-root",
  description: "Containers run as a non-root user (runAsNonRoot true, never runAsUser 0).",
  remediation: "Set securityContext.runAsNonRoot true (and a non-zero runAsUser) in the workload component.",
  levels: ALWAYS,
  check: (_, security) => (security("runAsUser") === 0 ? "runAsUser is 0" : flagProblem("runAsNonRoot", security("runAsNonRoot"))),
});

const noEscalation = securityFlagRule({
  name: "k8s-no-privilege-escalation",
  description: "Containers set allowPrivilegeEscalation false.",
  remediation: "Set securityContext.allowPrivilegeEscalation false on every container.",
  levels: ALWAYS,
  flag: "allowPrivilegeEscalation",
  required: "false",
});

const noPrivileged = securityFlagRule({
  name: "k8s-no-privileged",
  description: "No privileged containers.",
  remediation: "Remove securityContext.privileged; grant a specific capability only if a workload truly needs it.",
  levels: ALWAYS,
  flag: "privileged",
  required: "not true",
});

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];

const noHostNamespaces = resourceRule({
  name: "k8s-no-host-namespaces",
  description: "Pods do not share the node's network, PID or IPC namespaces.",
  remediation: "Remove hostNetwork/hostPID/hostIPC from the pod spec.",
  levels: ALWAYS,
  appliesTo: WORKLOAD_TYPES,
  check(r) {
    const pod = podSpec(r);
    return problems(...HOST_NAMESPACES.map((k) => flagAt(pod, k, "not true")));
  },
});

/** The one capability a non-root web server may need back. */
const ALLOWED_ADDED_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);

const dropCapabilities = containerRule({
  name: "k8s-drop-capabilities",
  description: "Containers drop ALL Linux capabilities and add back at most NET_BIND_SERVICE.",
  remediation: "Set securityContext.capabilities.drop [\"ALL\"] on every container.",
  levels: ALWAYS,
  check: (_, security) => {
    const caps = obj(security("capabilities")) ?? {};
    if (!strings(caps["drop"]).includes("ALL")) return "capabilities.drop does not include ALL";
    const added = strings(caps["add"]).filter((a) => !ALLOWED_ADDED_CAPABILITIES.has(a));
    return added.length > 0 ? `adds capabilities ${added.join(", ")}` : undefined;
  },
});

const seccomp = containerRule({
  name: "k8s-seccomp-runtime-default",
  description: "Containers run under the RuntimeDefault (or a Localhost) seccomp profile.",
  remediation: "Set securityContext.seccompProfile.type RuntimeDefault on the pod.",
  levels: ALWAYS,
  check: (_, security) => {
    const type = security("seccompProfile.type");
    return type === "RuntimeDefault" || type === "Localhost" ? undefined : `seccompProfile is ${String(type ?? "unset")}`;
  },
});

const resources = containerRule({
  name: "k8s-resources",
  description: "Containers request CPU and memory and set a memory limit.",
  remediation: "Size requests/limits per tier in the app catalog (the workload component sets them).",
  levels: ALWAYS,
  check: (c) => missingProblem("missing", ["requests.cpu", "requests.memory", "limits.memory"], (k) => at(obj(c.spec["resources"]), k) !== undefined),
});

/**
 * How `repo/name:tag@sha256:...` names its version: by digest, by a tag other than latest, or not at all
 * (untagged or :latest, which move with every push).
 */
export function imageVersion(image: string): "digest" | "tag" | undefined {
  const [name, digest] = image.split("@");
  if (digest !== undefined) return "digest";
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  return tag === undefined || tag === "latest" ? undefined : "tag";
}

/** A container rule over each container's image reference (`""` when unset). */
function imageRule(def: RuleInfo & { check: (image: string) => string | undefined }): ResourceRule {
  const { check, ...info } = def;
  return containerRule({ ...info, check: (c) => check(str(c.spec["image"]) ?? "") });
}

const imageTag = imageRule({
  name: "k8s-image-tag",
  description: "Images name a version: a tag other than latest, or a digest.",
  remediation: "Deploy images by release tag (from CI) or digest, never :latest or untagged.",
  levels: ALWAYS,
  check: (image) => (imageVersion(image) === undefined ? `image "${image}" is untagged or :latest` : undefined),
});

/** ECR registries: repositories there have immutable tags (enforced by ecr-immutable-tags). */
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//;

const imagePinned = imageRule({
  name: "k8s-image-pinned",
  description: "Production images are pinned: by digest, or from our ECR repositories whose tags are immutable.",
  remediation: "Reference third-party images by @sha256 digest; our apps come from ECR (immutable tags).",
  levels: PRODUCTION,
  check: (image) => (imageVersion(image) === "digest" || ECR_IMAGE.test(image) ? undefined : `image "${image}" is neither digest-pinned nor from ECR`),
});

const probes = containerRule({
  name: "k8s-probes",
  description: "Long-running containers have readiness and liveness probes.",
  remediation: "Point readinessProbe/livenessProbe at the app's /health endpoints (apps/shared/ops-server.ts).",
  levels: ALWAYS,
  check: (c) => missingProblem("missing", ["readinessProbe", "livenessProbe"], (p) => c.spec[p] !== undefined),
  types: SERVING_TYPES,
  includeInit: false,
});

const serviceAccount = resourceRule({
  name: "k8s-dedicated-service-account",
  description: "Every workload runs under its own service account, never `default`.",
  remediation: "Create a ServiceAccount per app (the workload component does) and set serviceAccountName.",
  levels: ALWAYS,
  appliesTo: WORKLOAD_TYPES,
  check(r) {
    const sa = str(podSpec(r)["serviceAccountName"]) ?? str(podSpec(r)["serviceAccount"]);
    return sa === undefined || sa === "default" ? ["runs as the default service account"] : [];
  },
});

export const WORKLOAD_RULES: readonly Rule[] = [
  nonRoot,
  noEscalation,
  noPrivileged,
  noHostNamespaces,
  dropCapabilities,
  seccomp,
  resources,
  imageTag,
  imagePinned,
  probes,
  serviceAccount,
];
