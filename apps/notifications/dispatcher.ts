// The delivery loop, and the one place where deliveries have side effects: claim due deliveries,
// judge each against consent and preferences, render once, send through the channel's provider,
// record the attempt, then settle, retry later or dead-letter. Up to `concurrency` sends in flight.
import type { Pool } from "pg";
import type { OutRecord } from "../shared/kafka";
import type { Logger } from "../shared/logger";
import { nextStep, type RetryPolicy } from "./backoff";
import type { TemplateCache } from "./catalog";
import type { ChannelDriver, Message } from "./channels/types";
import type { ConsentSource } from "./consent";
import { decide } from "./decide";
import { deadDeliveryRecord } from "./dlq";
import type { NotificationsMetrics } from "./metrics";
import { type Channel, type ClaimedDelivery, type ContentParts, NO_RECIPIENT, type Recipient } from "./model";
import { attemptHistory, beginAttempt, claimDue, digestItems, finishAttempt, release, reserveCap, returnCap, settle } from "./queue";
import { loadRecipients } from "./recipients";
import { render, resolveLocale } from "./templates";

export interface DispatcherDeps {
  pool: Pool;
  templates: TemplateCache;
  consent: ConsentSource;
  drivers: Partial<Record<Channel, ChannelDriver>>;
  /** Resolves when Kafka acknowledged (acks=all). */
  send: (records: OutRecord[]) => Promise<void>;
  dlqTopic: string;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  retry: RetryPolicy & { maxAttempts: Readonly<Record<Channel, number>> };
  /** How long deliveries wait while every provider of their channel is open. */
  breakerWaitMs: number;
  metrics: NotificationsMetrics;
  logger: Logger;
}

export class Dispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    if (this.deps.concurrency === 0 || this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something became due (a request was just accepted): look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming and waits for the sends in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  private async run(): Promise<void> {
    const { concurrency, pollMs, leaseMs, pool, logger } = this.deps;
    while (this.running) {
      const free = concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await claimDue(pool, free, leaseMs);
        } catch (err) {
          logger.error({ err }, "claiming due deliveries failed; retrying at the next poll");
        }
      }
      for (const d of claimed) {
        const task = this.deliver(d)
          .catch((err: unknown) => logger.error({ err, delivery: d.deliveryId }, "delivery step failed; the claim expires and another attempt follows"))
          .finally(() => {
            this.inFlight.delete(task);
            this.wake();
          });
        this.inFlight.add(task);
      }
      // A full batch means more may be due: claim again at once. Otherwise wait for the poll or a wake-up.
      if (free === 0 || claimed.length < free) await this.sleep(pollMs);
    }
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const { pool, metrics, logger } = this.deps;
    if (d.wasInterrupted) logger.warn({ delivery: d.deliveryId, attempts: d.attempts }, "the previous attempt was interrupted (worker lost mid-send); sending again with the same Message-ID");
    const driver = this.deps.drivers[d.channel];
    if (driver === undefined) return this.suppress(d, "channel_not_configured");
    const [recipients, consent] = await Promise.all([loadRecipients(pool, d.gameId, [d.playerId]), this.deps.consent.lookup(d.gameId, [d.playerId])]);
    const recipient = recipients.get(d.playerId) ?? NO_RECIPIENT;
    const address = await driver.address(d, recipient);
    const decision = decide({
      channel: d.channel,
      category: d.category,
      recipient,
      consent: consent.get(d.playerId) ?? { suppressed: false, marketingConsent: undefined },
      hasAddress: address !== undefined,
      now: new Date(),
    });
    if (decision.kind === "suppress") return this.suppress(d, decision.reason);
    if (decision.kind === "defer") {
      metrics.deferred.inc({ channel: d.channel, reason: decision.reason });
      return release(pool, d, decision.until, decision.reason);
    }
    const provider = driver.pick(d.category === "critical", address);
    if (provider === undefined) {
      metrics.deferred.inc({ channel: d.channel, reason: "breaker_open" });
      return release(pool, d, new Date(Date.now() + this.deps.breakerWaitMs), "breaker_open");
    }
    const rendered = d.rendered ?? (await this.render(d, recipient));
    if (rendered === undefined) return;
    if (decision.cap !== null && !(await reserveCap(pool, d, decision.cap.day, decision.cap.limit))) return this.suppress(d, "daily_cap");
    const attempt = await beginAttempt(pool, d, provider, rendered);
    if (attempt === null) return; // the lease ran out and another worker has it
    const message: Message = { deliveryId: d.deliveryId, notificationId: d.notificationId, gameId: d.gameId, playerId: d.playerId, category: d.category, content: rendered };
    const timer = metrics.attemptSeconds.startTimer({ channel: d.channel, provider });
    const result = await driver.send(provider, message, address);
    timer();
    await finishAttempt(pool, d.deliveryId, attempt, result.ok ? "delivered" : result.kind, result.ok ? null : result.reason, result.ok ? result.response : result.detail);
    const step = nextStep(result, attempt, this.deps.retry.maxAttempts[d.channel], this.deps.retry, new Date());
    if (step.kind !== "delivered" && decision.cap !== null) await returnCap(pool, d, decision.cap.day);
    if (!result.ok) metrics.failed.inc({ channel: d.channel, kind: result.kind, reason: result.reason });
    if (step.kind === "delivered") {
      await settle(pool, d, "delivered", { provider, ref: result.ok ? result.ref : undefined });
      metrics.sent.inc({ channel: d.channel, provider });
      metrics.latency.observe({ channel: d.channel }, (Date.now() - d.createdAt.getTime()) / 1000);
    } else if (step.kind === "retry") {
      await release(pool, d, step.at, step.reason);
      metrics.retried.inc({ channel: d.channel, reason: step.reason });
    } else {
      await this.deadLetter(d, step);
    }
  }

  /** The delivery's content, rendered once: a digest when other notifications were merged into it. */
  private async render(d: ClaimedDelivery, recipient: Recipient): Promise<ContentParts | undefined> {
    const template = await this.deps.templates.get(d.gameId, d.templateId);
    const locale = template === undefined ? undefined : resolveLocale(template, d.channel, [d.locale, recipient.locale]);
    if (template === undefined || locale === undefined) {
      await this.deadLetter(d, { dlqReason: "permanent_failure", reason: "render_failed", detail: `template ${d.templateId} is gone or has no ${d.channel} content` });
      return undefined;
    }
    const items = d.digestKey === null ? [d.data] : await digestItems(this.deps.pool, d);
    return render(template, d.channel, locale, items);
  }

  private async suppress(d: ClaimedDelivery, reason: string): Promise<void> {
    await settle(this.deps.pool, d, "suppressed", { reason });
    this.deps.metrics.suppressed.inc({ channel: d.channel, reason });
  }

  /** DLQ first (acknowledged), then the row: a crash between the two repeats the DLQ record, never loses it. */
  private async deadLetter(d: ClaimedDelivery, dead: { dlqReason: string; reason: string; detail: string }): Promise<void> {
    const history = await attemptHistory(this.deps.pool, d.deliveryId);
    await this.deps.send([deadDeliveryRecord(this.deps.dlqTopic, d, dead, history, new Date())]);
    await settle(this.deps.pool, d, "dead", { reason: `${dead.dlqReason}: ${dead.reason}` });
    this.deps.metrics.deadLettered.inc({ channel: d.channel, reason: dead.reason });
    this.deps.logger.warn({ delivery: d.deliveryId, channel: d.channel, reason: dead.reason, attempts: history.length }, "delivery dead-lettered");
  }
}
