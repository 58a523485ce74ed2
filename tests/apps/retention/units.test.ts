// Pure pieces of retention: config errors, day and key naming, the canonical row form's JS side,
// and what a restore refuses.
import { addDays, dayOfPartition, daysBetween, firstHotDay, isDay, manifestKey, partitionOfDay, partKey } from "../../../apps/shared/archive/layout";
import { isoMicros, RowDigest, sqlText } from "../../../apps/shared/archive/rows";
import type { TableShape } from "../../../apps/shared/archive/columns";
import { loadRetentionConfig } from "../../../apps/retention/config";
import { restoreColumns } from "../../../apps/retention/restore";

describe("retention config", () => {
  it("defaults to the free tier's window and names key, value and allowed values on bad input", () => {
    expect(loadRetentionConfig({})).toMatchObject({ hotDays: 30, prefix: "player-events", encryption: { kind: "bucket-default" }, s3: { endpoint: undefined } });
    expect(loadRetentionConfig({ ARCHIVES_KMS_KEY_ID: "arn:aws:kms:eu-west-1:1:key/k" }).encryption).toEqual({ kind: "sse-kms", keyId: "arn:aws:kms:eu-west-1:1:key/k" });
    expect(() => loadRetentionConfig({ RETENTION_HOT_DAYS: "0" })).toThrow('config RETENTION_HOT_DAYS="0" is invalid: expected an integer from 1 to 3650');
    expect(() => loadRetentionConfig({ ARCHIVES_PREFIX: "a/b" })).toThrow(/ARCHIVES_PREFIX="a\/b" is invalid/);
  });
});

describe("layout", () => {
  it("names partitions, days and keys the way the processor and query engines expect", () => {
    expect(partitionOfDay("2026-03-04")).toBe("player_events_p20260304");
    expect(dayOfPartition("player_events_p20260304")).toBe("2026-03-04");
    expect(dayOfPartition("player_events_default")).toBeUndefined();
    expect(partKey("player-events", "g1", "2026-03-04", 2)).toBe("player-events/game_id=g1/dt=2026-03-04/part-2.parquet");
    expect(manifestKey("player-events", "g1", "2026-03-04")).toBe("player-events/game_id=g1/dt=2026-03-04/manifest.json");
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("keeps exactly hotDays days, today included", () => {
    expect(firstHotDay("2026-12-01", 30)).toBe("2026-11-02");
    expect(daysBetween(firstHotDay("2026-12-01", 30), "2026-12-01")).toHaveLength(30);
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });
});

describe("canonical rows", () => {
  it("turns microseconds and day numbers back into the text PostgreSQL parses exactly", () => {
    expect(isoMicros(1764547200123456n)).toBe("2025-12-01T00:00:00.123456Z");
    expect(isoMicros(-1n)).toBe("1969-12-31T23:59:59.999999Z");
    expect(sqlText({ name: "d", sqlType: "date", kind: "date", nullable: false }, "20423")).toBe("2025-12-01");
  });

  it("digests rows independently of their order and sensitively to their content", () => {
    const a = new RowDigest();
    const b = new RowDigest();
    const c = new RowDigest();
    [["1", null], ["2", "x"]].forEach((r) => a.add(r));
    [["2", "x"], ["1", null]].forEach((r) => b.add(r));
    [["1", ""], ["2", "x"]].forEach((r) => c.add(r));
    expect(a.value).toBe(b.value);
    expect(c.value).not.toBe(a.value);
  });
});

describe("restore columns", () => {
  const col = (name: string, nullable = true) => ({ name, sqlType: "text", kind: "string" as const, nullable });
  const shape = (cols: ReturnType<typeof col>[]): TableShape => ({ table: "player_events", columns: cols, key: ["a"], fingerprint: "f" });

  it("restores the columns both have, and refuses when the table requires one the archive lacks", () => {
    expect(restoreColumns(shape([col("a"), col("gone")]), shape([col("a"), col("added")]), new Set()).map((c) => c.name)).toEqual(["a"]);
    expect(() => restoreColumns(shape([col("a")]), shape([col("a"), col("needed", false)]), new Set())).toThrow("no values for required column(s) needed");
    expect(restoreColumns(shape([col("a")]), shape([col("a"), col("needed", false)]), new Set(["needed"])).map((c) => c.name)).toEqual(["a"]);
  });
});
