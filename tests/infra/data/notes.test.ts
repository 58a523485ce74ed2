import { type PlatformConfig, tierDefaults } from "../../../infra/config";
import { dataCostNote, dataProtectionNote } from "../../../infra/data/notes";

const config = (tier: "free" | "production", patch: (c: PlatformConfig["profile"]) => void = () => undefined): PlatformConfig => {
  const profile = tierDefaults(tier);
  patch(profile);
  return { stack: "t", tier, profile, otherKeys: [] };
};

describe("data plan notes", () => {
  it("free tier: names the never-free data costs, and which overrides leave the AWS free tier", () => {
    expect(dataCostNote(config("free"))).toBe("free tier: the data KMS key (~$1/month) and the Secrets Manager secrets ($0.40/month each) are never free");
    expect(dataCostNote(config("free", (p) => (p.rds.readReplicas = 1)))).toMatch(/overrides take RDS outside the AWS free tier$/);
    expect(dataCostNote(config("free", (p) => (p.redis.nodeType = "cache.t4g.small")))).toMatch(/overrides take ElastiCache outside/);
    expect(dataCostNote(config("free", (p) => ((p.rds.multiAz = true), (p.redis.replicasPerShard = 1))))).toMatch(/overrides take RDS and ElastiCache outside/);
    expect(dataCostNote(config("production"))).toBeUndefined();
  });

  it("production: warns when an override drops deletion protection, the final snapshot or a week of backups", () => {
    expect(dataProtectionNote(config("production"))).toBeUndefined();
    expect(dataProtectionNote(config("production", (p) => ((p.rds.deletionProtection = false), (p.rds.backupRetentionDays = 3))))).toBe(
      "production without RDS deletion protection, 7 days of backups (3): data can be lost on delete or restore",
    );
    expect(dataProtectionNote(config("production", (p) => (p.rds.finalSnapshot = false)))).toMatch(/without the RDS final snapshot/);
    expect(dataProtectionNote(config("free"))).toBeUndefined();
  });
});
