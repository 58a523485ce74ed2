/**
 * Group commit: callers hand in items one at a time; while one flush is in flight the
 * next ones queue up and go out together in the following flush. With an idempotent
 * Kafka producer (one request in flight per broker) this is what turns thousands of
 * single-event HTTP requests into a few large acks=all produce requests.
 */
export class GroupCommitter<T> {
  private queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private inFlight: Promise<void> | undefined;

  /** A flush takes at most `maxItems` items and, past the first, at most `maxWeight` in total. */
  constructor(
    private readonly flushFn: (items: T[]) => Promise<void>,
    private readonly maxItems: number,
    private readonly weight: (item: T) => number = () => 1,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  /** Resolves once the item is part of a flush that succeeded; rejects with that flush's error. */
  add(items: T[]): Promise<void> {
    const done = Promise.all(
      items.map((item) => new Promise<void>((resolve, reject) => this.queue.push({ item, resolve, reject }))),
    ).then(() => undefined);
    this.kick();
    return done;
  }

  get pending(): number {
    return this.queue.length;
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
    let total = 0;
    while (n < this.queue.length && n < this.maxItems) {
      total += this.weight(this.queue[n].item);
      if (n > 0 && total > this.maxWeight) break;
      n++;
    }
    const group = this.queue.splice(0, n);
    this.inFlight = this.flushFn(group.map((g) => g.item)).then(
      () => group.forEach((g) => g.resolve()),
      (err: unknown) => group.forEach((g) => g.reject(err)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      this.kick();
    });
  }
}
