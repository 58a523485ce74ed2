import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { capture, SECRET } from "../../infra/tools/capture";

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Group", name, {}, { aliases: [{ type: "test:index:OldGroup" }] });
    this.registerOutputs({});
  }
}

describe("capture", () => {
  it("records type, name, URN, aliases, resolved inputs, parent and secrets", async () => {
    const result = await capture({
      stack: "dev",
      program: async () => {
        const group = new Group("g");
        const key = new aws.kms.Key("k", { description: "x", enableKeyRotation: true }, { parent: group });
        new aws.ssm.Parameter("p", { type: "SecureString", value: pulumi.secret("s3cr3t"), keyId: key.arn }, { parent: group });
        return { keyArn: key.arn };
      },
    });
    const byName = new Map(result.resources.map((r) => [r.name, r]));
    expect(byName.get("g")).toEqual({
      type: "test:index:Group",
      name: "g",
      inputs: {},
      urn: "urn:pulumi:dev::gamemetrics::test:index:Group::g",
      aliasTypes: ["test:index:OldGroup"],
    });
    expect(byName.get("k")).toEqual({
      type: "aws:kms/key:Key",
      name: "k",
      parent: "test:index:Group::g",
      urn: "urn:pulumi:dev::gamemetrics::test:index:Group$aws:kms/key:Key::k",
      inputs: expect.objectContaining({ enableKeyRotation: true }),
    });
    const param = byName.get("p");
    expect(param?.inputs.value).toBe(SECRET);
    expect(param?.inputs.keyId).toMatch(/^arn:aws:kms:/);
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
    expect(result.outputs.keyArn).toMatch(/^arn:aws:kms:/);
  });

  it("fails naming the resource and input when a mock output is missing", async () => {
    await expect(
      capture({
        stack: "dev",
        program: async () => {
          const key = new aws.kms.Key("k", {});
          // keyUsage is an output no mock provides: it stays unknown under the preview.
          new aws.kms.Alias("a", { name: "alias/x", targetKeyId: key.customerMasterKeySpec.apply((v) => v ?? "none") });
          return {};
        },
      }),
    ).rejects.toThrow(/aws:kms\/alias:Alias a: targetKeyId/);
  });

  it("rejects with the program's own error, such as a config error", async () => {
    await expect(capture({ stack: "prod", config: ["gamemetrics:rds.multiAz=maybe"] })).rejects.toThrow(
      'gamemetrics:rds.multiAz is "maybe"; allowed: true or false',
    );
  });

  it("runs the platform program for each stack with its tier", async () => {
    for (const [stack, tier] of [["dev", "free"], ["staging", "production"], ["prod", "production"]] as const) {
      const result = await capture({ stack });
      expect(result.outputs.tier).toBe(tier);
    }
  });
});
