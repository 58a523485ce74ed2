// `npm run render -- --stack <stack> [--config k=v ...] [--check]` writes deploy/<stack>/, the manifests
// Argo CD syncs for a stack whose gamemetrics:apps.delivery is argocd, from the same Workloads component
// `pulumi up` uses under pulumi delivery. `--all` renders every such stack (and removes deploy/ folders
// of stacks delivered by Pulumi); `--check` writes nothing and exits 1 when the committed files differ.
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { APP_NAMES } from "../config/sections/apps";
import { repositoryName } from "../data/registry";
import { deployPath } from "../delivery/applications";
import { appManifests, type BundleInput, bundleFiles } from "../delivery/bundle";
import { factRef, renderedEdgeAnnotations } from "../delivery/facts";
import { fileName, type Manifest, tokenOf, toManifest } from "../delivery/manifest";
import type { PolicyResource } from "../../policies/engine/types";
import { APPS_CA_SECRET } from "../kafka/ca-copy";
import { kafkaContract } from "../kafka/contract";
import { schemaRegistryUrl } from "../kafka/registry";
import { PUBLIC_INGRESS_CLASS } from "../services/ingress";
import { namePrefix, platformTags } from "../tags";
import { Workloads } from "../workloads";
import { capture } from "./capture";
import { parseStackArgs, runMain, withStdoutToStderr } from "./cli-args";
import { PROJECT_ROOT, readStackConfig, stackPlatformConfig, STACKS } from "./stack-config";

export const WORKLOADS_ROOT = "gamemetrics:workloads:Workloads::apps";
/** The components whose Kubernetes objects are the apps' manifests (the apps' generated secrets stay Pulumi's). */
const RENDERED_PARENTS = /^gamemetrics:workloads:(Workloads|Workload|Migrations)::/;

/** The ECR repository of each app in the account the stack names (the render cannot ask AWS). */
export function repositoryUrls(config: PlatformConfig, region: string): Record<string, string> {
  const registry = `${config.profile.delivery.awsAccountId}.dkr.ecr.${region}.amazonaws.com`;
  return Object.fromEntries(APP_NAMES.map((app) => [app, `${registry}/${repositoryName(namePrefix(config), app)}`]));
}

/**
 * The Workloads component with what only a deploy knows replaced by references a rendered manifest
 * can hold: fact names the kubelet expands from the platform ConfigMap, the WAF by name, the
 * registry by the configured account (images by their immutable tag: the digest ECR would report is a
 * deploy-time fact). Kafka's CA is Strimzi's private one, or none on MSK (as the
 * Kafka layer decides; a test compares the two).
 */
function workloadsProgram(config: PlatformConfig, region: string): () => Promise<Record<string, unknown>> {
  return async () => {
    const provider = new k8s.Provider("render", { kubeconfig: "{}" });
    new Workloads("apps", {
      profile: config.profile.apps,
      tier: config.tier,
      cluster: { provider, oidcProviderArn: pulumi.output("rendered-without-iam"), oidcIssuer: pulumi.output("rendered-without-iam") },
      repositoryUrls: repositoryUrls(config, region) as Record<(typeof APP_NAMES)[number], string>,
      namePrefix: namePrefix(config),
      kafka: kafkaContract({
        bootstrapServers: pulumi.output(factRef("kafkaBootstrapServers")),
        caSecret: config.profile.kafka.mode === "strimzi" ? APPS_CA_SECRET : null,
        schemaRegistryUrl: schemaRegistryUrl(),
      }),
      qdrantUrl: factRef("qdrantUrl"),
      region,
      vpcCidr: config.profile.network.vpcCidr,
      identity: config.profile.identity,
      // The apps' generated secrets are Pulumi's (infra/delivery/gitops.ts): only their references render.
      secrets: { kmsKeyArn: "rendered-without-iam", namePrefix: namePrefix(config), recoveryWindowInDays: config.profile.storage.secretRecoveryDays },
      ...(config.profile.rds.readReplicas > 0 ? { postgresReaderHost: factRef("postgresReaderHost") } : {}),
      archives: { bucket: factRef("archivesBucket"), kmsKeyArn: factRef("archivesKmsKeyArn") },
      settings: config.profile,
      edge: { ingressClassName: PUBLIC_INGRESS_CLASS, annotations: pulumi.output(renderedEdgeAnnotations(config.profile.ingress.certificateArn, namePrefix(config))) },
      workloadAzCount: config.profile.network.workloadAzCount,
      tags: platformTags(config),
      dependsOn: [],
    });
    return {};
  };
}

export interface RenderOptions {
  readonly stack: string;
  readonly config?: readonly string[];
}

/** The Kubernetes objects of the stack's apps and what the bundle needs to turn them into files. */
export async function renderInput(opts: RenderOptions): Promise<BundleInput> {
  const overrides = opts.config ?? [];
  const config = stackPlatformConfig(opts.stack, overrides);
  if (config.profile.delivery.awsAccountId === "") {
    throw new Error(`render: gamemetrics:delivery.awsAccountId is unset on stack ${opts.stack}; the manifests name that account's ECR registry`);
  }
  const region = readStackConfig(opts.stack, overrides).values["aws:region"];
  const captured = await capture({ stack: opts.stack, config: overrides, program: workloadsProgram(config, region) });
  const manifests = captured.resources
    .filter((r) => r.parent !== undefined && RENDERED_PARENTS.test(r.parent))
    .map((r) => toManifest(r.type, r.inputs))
    .filter((m): m is Manifest => m !== undefined);
  return { stack: opts.stack, manifests, thanos: config.profile.observability.thanos };
}

export async function renderStack(opts: RenderOptions): Promise<Map<string, string>> {
  return bundleFiles(await renderInput(opts));
}

/** The rendered objects as the policy pack sees resources: the same rules judge what Argo CD applies. */
export async function renderedPolicyResources(opts: RenderOptions): Promise<PolicyResource[]> {
  const byApp = appManifests(await renderInput(opts));
  return [...byApp].flatMap(([app, manifests]) =>
    manifests.map((m) => ({ type: tokenOf(m), name: `${deployPath(opts.stack)}/${app}/${fileName(m)}`, inputs: m as unknown as Record<string, unknown> })),
  );
}

/** Files under deploy/<stack>/ on disk, by repository-relative path. */
export function committedFiles(stack: string, root = PROJECT_ROOT): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8"));
    }
  };
  walk(path.join(root, deployPath(stack)));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What differs between the render and the committed files: paths missing, stale or changed. */
export function drift(rendered: ReadonlyMap<string, string>, committed: ReadonlyMap<string, string>): string[] {
  const missing = [...rendered.keys()].filter((f) => !committed.has(f)).map((f) => `missing ${f}`);
  const stale = [...committed.keys()].filter((f) => !rendered.has(f)).map((f) => `not rendered ${f}`);
  const changed = [...rendered].filter(([f, text]) => committed.has(f) && committed.get(f) !== text).map(([f]) => `differs ${f}`);
  return [...missing, ...stale, ...changed];
}

/** What a stack should have under deploy/: its render when Argo CD delivers it, nothing otherwise. */
export async function expectedFiles(opts: RenderOptions): Promise<Map<string, string>> {
  const config = stackPlatformConfig(opts.stack, opts.config ?? []);
  return config.profile.apps.delivery === "argocd" ? renderStack(opts) : new Map();
}

function write(stack: string, files: ReadonlyMap<string, string>): void {
  fs.rmSync(path.join(PROJECT_ROOT, deployPath(stack)), { recursive: true, force: true });
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(PROJECT_ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(PROJECT_ROOT, file), text);
  }
}

async function main(): Promise<number> {
  const args = parseStackArgs(process.argv.slice(2), ["--all", "--check"]);
  const stacks = args.flags.has("--all") ? [...STACKS] : [args.stack];
  let drifted = 0;
  for (const stack of stacks) {
    const config = stackPlatformConfig(stack, args.config);
    if (!args.flags.has("--all") && config.profile.apps.delivery !== "argocd") {
      throw new Error(`stack ${stack} is delivered by Pulumi (gamemetrics:apps.delivery ${config.profile.apps.delivery}); nothing to render. Set it to argocd to deliver through Argo CD.`);
    }
    const files = await withStdoutToStderr(() => expectedFiles({ stack, config: args.config }));
    if (args.flags.has("--check")) {
      const problems = drift(files, committedFiles(stack));
      drifted += problems.length;
      process.stdout.write(problems.length === 0 ? `${stack}: deploy/${stack} matches the render (${files.size} files)\n` : `${stack}: deploy/${stack} drifted from the render; run npm run render -- --stack ${stack}\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
    } else {
      write(stack, files);
      process.stdout.write(`${stack}: ${files.size === 0 ? `delivered by Pulumi, no deploy/${stack}` : `wrote ${files.size} files to deploy/${stack}`}\n`);
    }
  }
  return drifted === 0 ? 0 : 1;
}

if (require.main === module) runMain(main);
