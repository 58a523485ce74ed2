// One circuit breaker per provider (opossum): after enough transient failures in the rolling window
// the provider is left alone for a while, then one trial send decides. Permanent refusals (a bad
// address) say nothing about the provider's health and are not counted.
import CircuitBreaker from "opossum";
import type { Gauge } from "prom-client";
import { DeliveryError, type Message, type Provider, type SendReceipt } from "./channels/types";

export interface BreakerSettings {
  volumeThreshold: number;
  errorPercent: number;
  resetMs: number;
}

export class GuardedProvider<A> {
  private readonly breaker: CircuitBreaker<[Message, A], SendReceipt>;

  constructor(
    readonly provider: Provider<A>,
    settings: BreakerSettings,
    gauge: Gauge<"provider">,
  ) {
    this.breaker = new CircuitBreaker((m: Message, a: A) => provider.send(m, a), {
      timeout: false, // each provider enforces its own send timeout and aborts the connection
      volumeThreshold: settings.volumeThreshold,
      errorThresholdPercentage: settings.errorPercent,
      resetTimeout: settings.resetMs,
      errorFilter: (err: unknown) => err instanceof DeliveryError && err.kind === "permanent",
    });
    // 0 closed, 1 open, 0.5 half-open (one trial send allowed)
    const set = (v: number) => gauge.set({ provider: provider.name }, v);
    set(0);
    this.breaker.on("open", () => set(1));
    this.breaker.on("halfOpen", () => set(0.5));
    this.breaker.on("close", () => set(0));
  }

  get name(): string {
    return this.provider.name;
  }

  /** Closed, or half-open with its one trial send not taken yet. */
  get available(): boolean {
    return this.breaker.closed || this.breaker.pendingClose;
  }

  send(message: Message, address: A): Promise<SendReceipt> {
    return this.breaker.fire(message, address);
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
