import type { AppName } from "../config/sections/apps";
import { NAMESPACES } from "../contracts";
import { CATALOG, imageOf, WORKLOAD_NAMES } from "../workloads/catalog";
import { MIGRATIONS_NAME } from "../workloads/migrations";
import { appsChart, appsChartPath, childApplication, deployPath, TEMPLATE_SOURCE } from "./applications";
import { CANARIES, withCanary } from "./canary";
import { withoutDigests, withPlatformFacts } from "./facts";
import { fileName, type Manifest, toYaml } from "./manifest";

/**
 * Turns the objects the Workloads component produced for a stack into what is committed under
 * deploy/<stack>/: per app a folder of manifests (platform facts by reference, canaries as
 * Rollouts), and the apps chart with one Argo CD Application per app. Pure: the render tool feeds it.
 */

/** Kinds Pulumi keeps under GitOps delivery: identity (bound to IAM roles) stays beside its role. */
export const PULUMI_OWNED_KINDS: ReadonlySet<string> = new Set(["ServiceAccount"]);
/**
 * Objects Pulumi keeps: those kinds, and what lives outside the apps namespace, where the stack's
 * Argo CD project may not deploy (Qdrant's ingress from the apps; infra/delivery/gitops.ts creates it).
 */
export const pulumiOwned = (m: Manifest): boolean => PULUMI_OWNED_KINDS.has(m.kind) || (m.metadata.namespace ?? NAMESPACES.apps) !== NAMESPACES.apps;

const APP_LABEL = "app.kubernetes.io/name";

/**
 * The migrations Job, as a PreSync hook of every app that uses PostgreSQL: Argo CD runs it to success
 * before it applies the app, on every sync (the migrator is idempotent and takes an advisory lock, so
 * two apps syncing at once run one after the other). Replaced, not patched: a Job's spec is immutable.
 */
export function migrationHook(job: Manifest, app: AppName): Manifest {
  const annotations = { ...job.metadata.annotations, "argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" };
  return { ...job, metadata: { ...job.metadata, name: `${MIGRATIONS_NAME}-${app}`, annotations } };
}
const isMigrations = (m: Manifest) => m.kind === "Job" && m.metadata.labels?.[APP_LABEL] === MIGRATIONS_NAME;

/**
 * The app an object belongs to: its own label, or for a NetworkPolicy the pods it selects. A workload
 * that runs another app's image (the recommendations train CronJob) ships in that app's Application.
 */
export function ownerApp(m: Manifest): AppName | undefined {
  const spec = m["spec"] as { podSelector?: { matchLabels?: Record<string, string> } } | undefined;
  const label = m.kind === "NetworkPolicy" ? spec?.podSelector?.matchLabels?.[APP_LABEL] : m.metadata.labels?.[APP_LABEL];
  const workload = WORKLOAD_NAMES.find((w) => w === label);
  return workload === undefined ? undefined : imageOf(workload);
}

export interface BundleInput {
  readonly stack: string;
  /** Every Kubernetes object the Workloads component registered for the stack. */
  readonly manifests: readonly Manifest[];
  readonly thanos: boolean;
}

/** Per app, its manifests as they are committed. */
export function appManifests(input: BundleInput): Map<AppName, Manifest[]> {
  const byApp = new Map<AppName, Manifest[]>();
  const add = (app: AppName, m: Manifest) => byApp.set(app, [...(byApp.get(app) ?? []), withoutDigests(withPlatformFacts(m))]);
  const migrations = input.manifests.filter(isMigrations);
  for (const m of input.manifests.filter((x) => !isMigrations(x))) {
    if (pulumiOwned(m)) continue;
    const app = ownerApp(m);
    if (app === undefined) throw new Error(`render: ${m.kind} ${m.metadata.name} belongs to no app (no ${APP_LABEL} label or pod selector)`);
    add(app, m);
  }
  for (const app of [...byApp.keys()].filter((a) => CATALOG[a].data.includes("postgres"))) {
    for (const job of migrations) add(app, migrationHook(job, app));
  }
  for (const [app, manifests] of byApp) {
    const canary = CANARIES[app];
    const entry = CATALOG[app];
    if (canary === undefined) continue;
    if (entry.kind !== "service") throw new Error(`render: ${app} opts into a canary but is a ${entry.kind}, not a service`);
    byApp.set(app, withCanary(manifests, { app, spec: canary, servicePort: entry.listener.port, thanos: input.thanos }));
  }
  return byApp;
}

export const renderHeader = (stack: string): string =>
  `# Rendered by \`npm run render -- --stack ${stack}\` from the app catalog (infra/workloads/catalog.ts).\n` +
  "# Do not edit: change the catalog or the stack config and render again (CI fails when this drifts).\n";

/** Every file of deploy/<stack>/, by path relative to the repository root. */
export function bundleFiles(input: BundleInput): Map<string, string> {
  const header = renderHeader(input.stack);
  const files = new Map<string, string>();
  const chart = appsChart(input.stack);
  const chartDir = appsChartPath(input.stack);
  files.set(`${chartDir}/Chart.yaml`, header + toYaml(chart.chart));
  files.set(`${chartDir}/values.yaml`, header + toYaml(chart.values));
  for (const [app, manifests] of appManifests(input)) {
    files.set(`${chartDir}/templates/${app}.yaml`, header + toYaml(childApplication(input.stack, app, TEMPLATE_SOURCE)));
    for (const m of manifests) files.set(`${deployPath(input.stack)}/${app}/${fileName(m)}`, header + toYaml(m));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
