import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../contracts";
import { MIGRATIONS } from "./catalog";
import { migrationEnv, type EnvVar } from "./env";
import { CONTAINER_SECURITY, POD_SECURITY, TMP_MOUNT } from "./spec";
import { resources } from "../config/sections/kube-quantities";

/** Requests of the migrations pod: one short-lived Node process talking to PostgreSQL. */
export const MIGRATION_RESOURCES = resources("100m", "256Mi");
const NAME = "migrate";
/** The migrations pods' ServiceAccount (and app label): Pulumi creates it under either delivery. */
export const MIGRATIONS_NAME = NAME;

/**
 * One Job per release: its name carries the image tag, so a new tag is a new Job (Job specs are
 * immutable) and an unchanged tag leaves the finished Job alone. DNS-1123 label, at most 63 characters.
 */
export function migrationJobName(imageTag: string): string {
  const label = `${NAME}-${imageTag.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63);
  return label.replace(/-+$/, "");
}

/** The Job spec (pure): the app image's own migrator, restricted like the apps, retried a few times. */
export function migrationJobSpec(image: string, env: readonly EnvVar[] = migrationEnv()): k8s.types.input.batch.v1.JobSpec {
  return {
    backoffLimit: 3,
    activeDeadlineSeconds: 900,
    template: {
      metadata: { labels: { "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "gamemetrics" } },
      spec: {
        serviceAccountName: NAME,
        automountServiceAccountToken: false,
        securityContext: POD_SECURITY,
        restartPolicy: "Never",
        containers: [
          {
            name: NAME,
            image,
            command: [...MIGRATIONS.command],
            env: [...env],
            resources: MIGRATION_RESOURCES,
            securityContext: { ...CONTAINER_SECURITY, capabilities: { drop: [...CONTAINER_SECURITY.capabilities.drop] } },
            volumeMounts: [{ name: "tmp", mountPath: TMP_MOUNT }],
          },
        ],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
      },
    },
  };
}

export interface MigrationsArgs {
  readonly imageTag: string;
  readonly image: pulumi.Input<string>;
  readonly provider: k8s.Provider;
  /** The apps namespace and the database Secret the Job reads. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Applies the versioned SQL (apps/shared/db/migrations) inside the cluster, where the private RDS is
 * reachable, before any Deployment rolls: the provider waits for the Job to succeed, and every
 * Deployment depends on it. The migrator is idempotent (applied versions are skipped, an advisory lock
 * serialises concurrent runs), so a rerun is harmless.
 */
export class Migrations extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;

  constructor(name: string, args: MigrationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gamemetrics:workloads:Migrations", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn };
    const metadata = { name: NAME, namespace: NAMESPACES.apps, labels: { "app.kubernetes.io/name": NAME } };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata, automountServiceAccountToken: false }, k8sOpts);
    this.job = new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: { ...metadata, name: migrationJobName(args.imageTag) },
        spec: pulumi.output(args.image).apply((image) => migrationJobSpec(image)),
      },
      { ...k8sOpts, dependsOn: [...args.dependsOn, sa], deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
