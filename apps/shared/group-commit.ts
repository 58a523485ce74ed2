/**
 * Group commit: callers hand in their items; while one flush is in flight the next callers queue
 * up and go out together in the following flush. With an idempotent Kafka producer (one request
 * in flight per broker) this is what turns thousands of single-event HTTP requests into a few
 * large acks=all produce requests. One caller's items always travel in one flush, so a caller is
 * told "all written" or "none written", never half.
 */
export class GroupCommitter<T> {
  private queue: { items: T[]; weight: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private queuedItems = 0;
  private inFlight: Promise<void> | undefined;

  /** A flush takes whole callers up to `maxItems` items and `maxWeight` in total (the first caller always goes). */
  constructor(
    private readonly flushFn: (items: T[]) => Promise<void>,
    private readonly maxItems: number,
    private readonly weight: (item: T) => number = () => 1,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  /** Resolves once every item is part of a flush that succeeded; rejects with that flush's error. */
  add(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    let weight = 0;
    for (const item of items) weight += this.weight(item);
    const done = new Promise<void>((resolve, reject) => this.queue.push({ items, weight, resolve, reject }));
    this.queuedItems += items.length;
    this.kick();
    return done;
  }

  /** Items waiting for a flush (not counting the one in flight). */
  get pending(): number {
    return this.queuedItems;
  }

  /** Waits until everything queued so far has been flushed (or failed). */
  async drain(): Promise<void> {
    while (this.inFlight !== undefined || this.queue.length > 0) {
      this.kick();
      await this.inFlight?.catch(() => undefined);
    }
  }

  private kick(): void {
    if (this.inFlight !== undefined || this.queue.length === 0) return;
    let n = 0;
    let items = 0;
    let weight = 0;
    while (n < this.queue.length) {
      const next = this.queue[n];
      if (n > 0 && (items + next.items.length > this.maxItems || weight + next.weight > this.maxWeight)) break;
      items += next.items.length;
      weight += next.weight;
      n++;
    }
    const group = this.queue.splice(0, n);
    this.queuedItems -= items;
    this.inFlight = this.flushFn(group.length === 1 ? group[0].items : group.flatMap((g) => g.items)).then(
      () => group.forEach((g) => g.resolve()),
      (err: unknown) => group.forEach((g) => g.reject(err)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      this.kick();
    });
  }
}
