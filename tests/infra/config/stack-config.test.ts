import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfig } from "../../../infra/tools/stack-config";
import { parseStackArgs } from "../../../infra/tools/cli-args";

describe("readStackConfig", () => {
  it("reads the committed stack files", () => {
    expect(readStackConfig("dev").values["gamemetrics:tier"]).toBe("free");
    expect(readStackConfig("prod").values["gamemetrics:tier"]).toBe("production");
    expect(JSON.parse(readStackConfig("staging").values["gamemetrics:rds"])).toEqual({ readReplicas: 1 });
  });

  it("applies dotted-path overrides into structured values, decoding JSON", () => {
    const { values } = readStackConfig("staging", ["gamemetrics:rds.multiAz=false", "gamemetrics:eks.publicAccessCidrs=[\"10.0.0.0/8\"]", "gamemetrics:kafka.mode=msk"]);
    expect(JSON.parse(values["gamemetrics:rds"])).toEqual({ readReplicas: 1, multiAz: false });
    expect(JSON.parse(values["gamemetrics:eks"])).toMatchObject({ publicAccessCidrs: ["10.0.0.0/8"] });
    expect(JSON.parse(values["gamemetrics:kafka"])).toEqual({ mode: "msk" });
  });

  it("turns encrypted values into placeholder secrets", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gm-"));
    fs.writeFileSync(path.join(dir, "Pulumi.x.yaml"), "config:\n  gamemetrics:slackWebhookUrl:\n    secure: AAABAJ\n");
    const cfg = readStackConfig("x", [], dir);
    expect(cfg.secretKeys).toEqual(["gamemetrics:slackWebhookUrl"]);
    expect(cfg.values["gamemetrics:slackWebhookUrl"]).not.toContain("AAABAJ");
  });

  it("names the allowed stacks for an unknown one, and rejects a malformed override", () => {
    expect(() => readStackConfig("qa")).toThrow("no stack file Pulumi.qa.yaml; allowed stacks: dev, staging, prod");
    expect(() => readStackConfig("dev", ["gamemetrics:rds.multiAz"])).toThrow(/expected key=value/);
  });
});

describe("parseStackArgs", () => {
  it("parses stack, repeated config and json", () => {
    expect(parseStackArgs(["--stack", "prod", "--config", "a=1", "-c", "b=2", "--json"])).toMatchObject({ stack: "prod", config: ["a=1", "b=2"], json: true });
  });
  it("requires a stack and refuses unknown flags", () => {
    expect(() => parseStackArgs([])).toThrow(/--stack is required/);
    expect(() => parseStackArgs(["--stack", "dev", "--yolo"])).toThrow(/unknown argument "--yolo"/);
  });
});
