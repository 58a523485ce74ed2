import * as grpc from "@grpc/grpc-js";
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RULES } from "../../policies/rules";

/**
 * The real pack, as `pulumi preview --policy-pack policies` runs it: policies/index.ts in its own
 * process, serving the analyzer gRPC protocol. The test plays the Pulumi CLI: it configures the
 * pack with free.json (as --policy-pack-config does) and sends resources to analyze.
 */
const POLICIES = path.resolve(__dirname, "..", "..", "policies");
const TSX = path.resolve(__dirname, "..", "..", "node_modules", ".bin", "tsx");
const LEVEL_NAMES: Record<number, string> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_CODES: Record<string, analyzer.EnforcementLevel> = { advisory: 0, mandatory: 1, disabled: 2 };
/** The engine's marker for a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

let pack: ChildProcess;
let client: analyzerRpc.AnalyzerClient;

function unary<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));
}

function analyze(type: string, props: Record<string, unknown>): Promise<{ policy: string; level: string; message: string }[]> {
  const req = new analyzer.AnalyzeRequest();
  req.setType(type);
  req.setName("postgres");
  req.setUrn(`urn:pulumi:prod::gamemetrics::${type}::postgres`);
  req.setProperties(Struct.fromJavaScript(props as never));
  req.setOptions(new analyzer.AnalyzerResourceOptions());
  return unary<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze, req).then((res) =>
    res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: LEVEL_NAMES[d.getEnforcementlevel()], message: d.getMessage() })),
  );
}

beforeAll(async () => {
  pack = spawn(TSX, ["index.ts"], { cwd: POLICIES, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  pack.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  // The pack prints the port it serves on, then waits for the CLI.
  const port = await new Promise<string>((resolve, reject) => {
    pack.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
    pack.once("exit", (code) => reject(new Error(`policy pack exited ${code} before serving:\n${stderr}`)));
  });
  expect(port).toMatch(/^\d+$/);
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

describe("policies/index.ts served as a real policy pack", () => {
  it("announces every rule, by name, at its production level by default", async () => {
    const info: analyzer.AnalyzerInfo = await unary(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("gamemetrics");
    const policies = info.getPoliciesList().map((p) => [p.getName(), LEVEL_NAMES[p.getEnforcementlevel()]]);
    expect(policies).toEqual(RULES.map((r) => [r.name, r.levels.production]));
  });

  it("with free.json applied (as --policy-pack-config does), judges RDS at the free tier's levels", async () => {
    const req = new analyzer.ConfigureAnalyzerRequest();
    const free = JSON.parse(fs.readFileSync(path.join(POLICIES, "free.json"), "utf8")) as Record<string, string>;
    for (const [name, level] of Object.entries(free)) {
      const config = new analyzer.PolicyConfig();
      config.setEnforcementlevel(LEVEL_CODES[level]);
      config.setProperties(Struct.fromJavaScript({}));
      req.getPolicyconfigMap().set(name, config);
    }
    await unary(client.configure, req);

    const diagnostics = await analyze("aws:rds/instance:Instance", {
      instanceClass: "db.r5.large",
      allocatedStorage: 20,
      multiAz: true,
      storageEncrypted: true,
      backupRetentionPeriod: 1,
      parameterGroupName: "gamemetrics-dev-postgres",
      tags: { project: "gamemetrics", env: "dev", tier: "free" },
    });
    expect(diagnostics.map((d) => [d.policy, d.level]).sort()).toEqual([
      ["cost-free-rds", "mandatory"],
      ["rds-single-az-free", "mandatory"],
    ]);
    expect(diagnostics.find((d) => d.policy === "cost-free-rds")?.message).toContain("instance class db.r5.large is outside the free allow-list. Fix:");
  });

  it("turns a value unknown at preview into an advisory can't-run diagnostic, like the offline gate", async () => {
    const diagnostics = await analyze("aws:rds/instance:Instance", { instanceClass: UNKNOWN, storageEncrypted: true, backupRetentionPeriod: 1, parameterGroupName: "pg", tags: { project: "p", env: "e", tier: "t" } });
    expect(diagnostics).toEqual([expect.objectContaining({ policy: "cost-free-rds", level: "advisory", message: expect.stringContaining("can't run policy 'cost-free-rds'") })]);
  });
});
