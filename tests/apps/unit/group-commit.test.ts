import { GroupCommitter } from "../../../apps/shared/group-commit";

test("items added while a flush is in flight go out together in the next one", async () => {
  const flushes: number[][] = [];
  let release: () => void = () => undefined;
  const c = new GroupCommitter<number>(async (items) => {
    flushes.push(items);
    if (flushes.length === 1) await new Promise<void>((r) => (release = r));
  }, 100);
  const first = c.add([1]);
  const rest = [c.add([2]), c.add([3, 4])];
  expect(c.pending).toBe(3);
  release();
  await Promise.all([first, ...rest]);
  expect(flushes).toEqual([[1], [2, 3, 4]]);
});

test("a failed flush rejects exactly its callers; limits split groups between callers, never inside one", async () => {
  const flushes: string[][] = [];
  let release: () => void = () => undefined;
  const c = new GroupCommitter<string>(async (items) => {
    flushes.push(items);
    if (flushes.length === 1) await new Promise<void>((r) => (release = r));
    if (items.includes("bad")) throw new Error("broker down");
  }, 3, (s) => s.length, 5);
  const calls = [c.add(["x"]), c.add(["bad"]), c.add(["aaaa", "bb", "c", "dd"]), c.add(["e"])];
  release();
  const results = await Promise.allSettled(calls);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
  // the 4-item caller is over both limits: it still goes whole, alone
  expect(flushes).toEqual([["x"], ["bad"], ["aaaa", "bb", "c", "dd"], ["e"]]);
  await c.drain();
  expect(c.pending).toBe(0);
});
