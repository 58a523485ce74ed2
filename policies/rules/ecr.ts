import { ALWAYS, flagRule, resourceRule, subjectRule } from "../engine/define";
import { str } from "../engine/inputs";
import type { Rule } from "../engine/types";

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

const scanOnPush = flagRule({
  name: "ecr-scan-on-push",
  description: "ECR repositories scan every image on push.",
  remediation: "Set imageScanningConfiguration.scanOnPush true (infra/data/registry.ts).",
  levels: ALWAYS,
  appliesTo: [REPOSITORY],
  flag: "imageScanningConfiguration.scanOnPush",
});

const immutableTags = resourceRule({
  name: "ecr-immutable-tags",
  description: "ECR tags are immutable, so a deployed tag always names the same image.",
  remediation: "Set imageTagMutability \"IMMUTABLE\".",
  levels: ALWAYS,
  appliesTo: [REPOSITORY],
  check: (r) => (r.inputs["imageTagMutability"] === "IMMUTABLE" ? [] : [`imageTagMutability is ${String(r.inputs["imageTagMutability"] ?? "MUTABLE (default)")}`]),
});

const lifecycle = subjectRule({
  name: "ecr-lifecycle-policy",
  description: "Every ECR repository has a lifecycle policy (untagged and old images expire).",
  remediation: "Add an aws.ecr.LifecyclePolicy per repository (infra/data/registry.ts ecrLifecyclePolicy).",
  levels: ALWAYS,
  subjects: [REPOSITORY],
  companions: [LIFECYCLE],
  // A policy names its repository by the repository's name; same logical name is the component convention.
  check: (repo, resources) =>
    resources.some((p) => p.type === LIFECYCLE && (p.name === repo.name || p.inputs["repository"] === (str(repo.inputs["name"]) ?? repo.name)))
      ? undefined
      : "repository without a lifecycle policy",
});

export const ECR_RULES: readonly Rule[] = [scanOnPush, immutableTags, lifecycle];
