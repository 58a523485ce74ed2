/**
 * Every third-party action the workflows use, pinned by the full commit SHA its release tag pointed to
 * (tags can be moved; a commit cannot), with the inputs that version declares. Each was read on
 * 2026-12-01 from a fresh copy of the action's repository: the tag's commit (`git rev-parse
 * <tag>^{commit}`), checked to be on the default branch (or its release branch, `on`), and the inputs
 * from action.yml at that tag. Upgrading an action is a new row here and the new SHA in the workflow.
 */
export interface ActionPin {
  readonly tag: string;
  readonly sha: string;
  /** Commit date of the tagged commit. */
  readonly committed: string;
  /** The branch whose history holds the commit: a tag moved to a stray commit would not be on it. */
  readonly on: string;
  readonly inputs: readonly string[];
}

export const PINS_READ_ON = "2026-12-01";

export const ACTION_PINS: Readonly<Record<string, ActionPin>> = {
  "actions/checkout": { tag: "v7.0.1", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", committed: "2026-07-17", on: "main", inputs: ["allow-unsafe-pr-checkout", "clean", "fetch-depth", "fetch-tags", "filter", "github-server-url", "lfs", "path", "persist-credentials", "ref", "repository", "set-safe-directory", "show-progress", "sparse-checkout", "sparse-checkout-cone-mode", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "submodules", "token"] },
  "actions/setup-node": { tag: "v7.0.0", sha: "820762786026740c76f36085b0efc47a31fe5020", committed: "2026-07-13", on: "main", inputs: ["architecture", "cache", "cache-dependency-path", "check-latest", "mirror", "mirror-token", "node-version", "node-version-file", "package-manager-cache", "registry-url", "scope", "token"] },
  "actions/setup-java": { tag: "v5.7.0", sha: "b6effb05e454b25005698d916606bdc6ffcbf961", committed: "2026-07-31", on: "releases/v5", inputs: ["architecture", "cache", "cache-dependency-path", "check-latest", "distribution", "gpg-passphrase", "gpg-private-key", "java-package", "java-version", "java-version-file", "jdk-file", "jdkFile", "job-status", "mvn-toolchain-id", "mvn-toolchain-vendor", "overwrite-settings", "server-id", "server-password", "server-username", "set-default", "settings-path", "show-download-progress", "token", "verify-signature", "verify-signature-public-key"] },
  "docker/setup-buildx-action": { tag: "v4.3.0", sha: "37fe631027851001ddb9b187196cc803df7f5f0e", committed: "2026-08-17", on: "master", inputs: ["append", "buildkitd-config", "buildkitd-config-inline", "buildkitd-flags", "cache-binary", "cleanup", "driver", "driver-opts", "endpoint", "keep-state", "name", "platforms", "use", "version"] },
  "docker/build-push-action": { tag: "v7.3.0", sha: "53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", committed: "2026-07-01", on: "master", inputs: ["add-hosts", "allow", "annotations", "attests", "build-args", "build-contexts", "builder", "cache-from", "cache-to", "call", "cgroup-parent", "context", "file", "github-token", "labels", "load", "network", "no-cache", "no-cache-filters", "outputs", "platforms", "provenance", "pull", "push", "sbom", "secret-envs", "secret-files", "secrets", "shm-size", "ssh", "tags", "target", "ulimit"] },
  // On 2026-03-19 this action's tags were force-pushed to a credential stealer (aquasecurity/trivy-action#541,
  // GHSA-69fq-xp46-6x23; the malicious binary was Trivy v0.69.4). v0.36.0 is a later, SSH-signed tag on master;
  // it pins setup-trivy (v0.2.6, 3fb12ec, the clean commit) and actions/cache by SHA. Its default Trivy is v0.70.0.
  "aquasecurity/trivy-action": { tag: "v0.36.0", sha: "ed142fd0673e97e23eac54620cfb913e5ce36c25", committed: "2026-04-22", on: "master", inputs: ["cache", "cache-dir", "docker-host", "exit-code", "format", "github-pat", "hide-progress", "ignore-policy", "ignore-unfixed", "image-ref", "input", "limit-severities-for-sarif", "list-all-pkgs", "output", "scan-ref", "scan-type", "scanners", "severity", "skip-dirs", "skip-files", "skip-setup-trivy", "template", "tf-vars", "timeout", "token-setup-trivy", "trivy-config", "trivyignores", "version", "vuln-type"] },
  // Its Syft is v1.42.3 (src/SyftVersion.ts at the tag).
  "anchore/sbom-action": { tag: "v0.24.0", sha: "e22c389904149dbc22b58101806040fa8d37a610", committed: "2026-03-19", on: "main", inputs: ["artifact-name", "config", "dependency-snapshot", "file", "format", "github-token", "image", "output-file", "path", "registry-password", "registry-username", "syft-version", "upload-artifact", "upload-artifact-retention", "upload-release-assets"] },
  // Installs Cosign v3.0.6 (its default), checked against the sha256 sums in action.yml.
  "sigstore/cosign-installer": { tag: "v4.1.2", sha: "6f9f17788090df1f26f669e9d70d6ae9567deba6", committed: "2026-05-06", on: "main", inputs: ["cosign-release", "install-dir", "use-sudo"] },
  "actions/attest-build-provenance": { tag: "v4.1.0", sha: "a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", committed: "2026-02-26", on: "main", inputs: ["create-storage-record", "github-token", "predicate", "predicate-path", "predicate-type", "push-to-registry", "show-summary", "subject-checksums", "subject-digest", "subject-name", "subject-path"] },
  "actions/attest-sbom": { tag: "v4.1.0", sha: "c604332985a26aa8cf1bdc465b92731239ec6b9e", committed: "2026-03-02", on: "main", inputs: ["github-token", "push-to-registry", "sbom-path", "show-summary", "subject-checksums", "subject-digest", "subject-name", "subject-path"] },
  "aws-actions/configure-aws-credentials": { tag: "v6.2.3", sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", committed: "2026-07-22", on: "main", inputs: ["action-timeout-s", "allowed-account-ids", "audience", "aws-access-key-id", "aws-profile", "aws-region", "aws-secret-access-key", "aws-session-token", "custom-tags", "disable-retry", "force-skip-oidc", "http-proxy", "inline-session-policy", "managed-session-policies", "mask-aws-account-id", "no-proxy", "output-credentials", "output-env-credentials", "overwrite-aws-profile", "retry-max-attempts", "role-chaining", "role-duration-seconds", "role-external-id", "role-session-name", "role-skip-session-tagging", "role-to-assume", "special-characters-workaround", "sts-endpoint", "transitive-tag-keys", "unset-current-credentials", "use-existing-credentials", "web-identity-token-file"] },
  "aws-actions/amazon-ecr-login": { tag: "v2.1.7", sha: "03f1aad4c6c7ffd436567f42f9384779290529bd", committed: "2026-08-19", on: "main", inputs: ["http-proxy", "mask-password", "registries", "registry-type", "skip-logout"] },
  "pulumi/actions": { tag: "v7.0.0", sha: "8e5e406f4007fca908480587cb9893c07090f58d", committed: "2026-05-04", on: "main", inputs: ["always-include-summary", "cloud-url", "color", "command", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "config-map", "continue-on-error", "debug", "diff", "edit-pr-comment", "exclude", "exclude-dependents", "exclude-protected", "expect-no-changes", "github-token", "log-flow", "log-verbosity", "message", "parallel", "plan", "policyPackConfigs", "policyPacks", "pulumi-version", "pulumi-version-file", "refresh", "remove", "replace", "secrets-provider", "stack-name", "suppress-outputs", "suppress-progress", "target", "target-dependents", "upsert", "work-dir"] },
  "actions/upload-artifact": { tag: "v7.0.0", sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", committed: "2026-02-25", on: "main", inputs: ["archive", "compression-level", "if-no-files-found", "include-hidden-files", "name", "overwrite", "path", "retention-days"] },
  "actions/download-artifact": { tag: "v8.0.1", sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", committed: "2026-03-11", on: "main", inputs: ["artifact-ids", "digest-mismatch", "github-token", "merge-multiple", "name", "path", "pattern", "repository", "run-id", "skip-decompress"] },
};

/** Tool versions the workflows install, each the default of the action pinned above at its tag (or the SDK's own). */
export const TOOL_VERSIONS = {
  trivy: "v0.70.0",
  syft: "v1.42.3",
  cosign: "v3.0.6",
  // The Pulumi CLI of the same release as the @pulumi/pulumi SDK in package-lock.json.
  pulumi: "3.248.0",
} as const;
