import { execFile } from "child_process";
import * as path from "path";
import { RULES } from "../../policies/rules";

/**
 * `npm run policy` as CI runs it: the tsx entry in its own process. Exit codes, the one-JSON-document
 * stdout, the grouped text report, the config refusal and the rules table. All runs start at once.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function gate(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["infra/tools/policy-gate.ts", ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : -1, stdout, stderr });
    });
  });
}

const SCENARIOS = {
  devJson: ["--stack", "dev", "--json"],
  prodPublicEndpoint: ["--stack", "prod", "--config", "gamemetrics:eks.endpointPublicAccess=true", "--config", 'gamemetrics:eks.publicAccessCidrs=["0.0.0.0/0"]'],
  devMultiAzRefused: ["--stack", "dev", "--config", "gamemetrics:rds.multiAz=true"],
  badPolicyConfig: ["--stack", "dev", "--policy-config", path.join(ROOT, "package.json")],
  list: ["--list", "--markdown"],
} as const;
const runs = {} as Record<keyof typeof SCENARIOS, Run>;

beforeAll(async () => {
  const entries = Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, readonly string[]][];
  const results = await Promise.all(entries.map(([, args]) => gate(...args)));
  entries.forEach(([key], i) => (runs[key] = results[i]));
}, 600_000);

describe("npm run policy (CLI)", () => {
  it("--json prints exactly one JSON document and exits 0 when nothing mandatory is violated", () => {
    const { code, stdout } = runs.devJson;
    const report = JSON.parse(stdout) as { stack: string; tier: string; passed: boolean; counts: { mandatory: number } };
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(report).toMatchObject({ stack: "dev", tier: "free" });
    expect(code).toBe(report.passed ? 0 : 1);
    expect(report.passed).toBe(report.counts.mandatory === 0);
  });

  it("exits 1 on a mandatory violation, printed grouped by level with resource, rule and fix", () => {
    const { code, stdout } = runs.prodPublicEndpoint;
    expect(code).toBe(1);
    const advisoryAt = stdout.indexOf("\nADVISORY (");
    const mandatorySection = stdout.slice(stdout.indexOf("MANDATORY ("), advisoryAt < 0 ? undefined : advisoryAt);
    expect(mandatorySection).toMatch(
      /\n  eks-endpoint-restricted\n\s+- cluster \(eks:index:Cluster\): public endpoint open to 0\.0\.0\.0\/0\n\s+fix: .*gamemetrics:eks\.endpointPublicAccess/,
    );
    expect(stdout).toMatch(/result: FAILED \(\d+ mandatory, \d+ advisory\)/);
  });

  it("exits 2 with the validation message on config the program refuses (Multi-AZ RDS with one workload AZ)", () => {
    const { code, stdout, stderr } = runs.devMultiAzRefused;
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("gamemetrics:rds.multiAz is true with gamemetrics:network.workloadAzCount 1");
  });

  it("exits 2 naming the key when a policy config names something that is not a rule", () => {
    const { code, stderr } = runs.badPolicyConfig;
    expect(code).toBe(2);
    expect(stderr).toMatch(/^policy config keys that name no rule: "name", "version", .*; allowed: all, net-no-open-ingress/);
  });

  it("--list --markdown prints one row per rule with its level per tier", () => {
    const { code, stdout } = runs.list;
    expect(code).toBe(0);
    const rows = stdout.trim().split("\n").filter((l) => l.startsWith("| `"));
    expect(rows.map((l) => /^\| `([^`]+)`/.exec(l)?.[1])).toEqual(RULES.map((r) => r.name));
    expect(rows.find((l) => l.startsWith("| `rds-single-az-free`"))).toContain("| mandatory | disabled |");
  });
});
