/**
 * Delivers new entries to webhook subscriptions (REST hooks), off the request path: `dispatch` only queues.
 * A delivery is retried after a network error or a non-2xx reply, after each of `retryDelaysMs` in turn; a 410 Gone
 * removes the subscription (REST-hook convention). Deliveries run at most `concurrency` at a time.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { StoredEntry } from '@audit-trail/sdk/contract';
import type { HookRecord, HookRepository } from '../store/repositories.js';
import { hookMatches } from './match.js';
import { postJson } from './post-json.js';

/** Options of {@link HookDispatcher}. */
export interface HookDispatcherOptions {
  /** Delay before each retry; its length is the number of retries. @default [1000, 5000, 30000] */
  retryDelaysMs?: readonly number[];
  /** Timeout of one delivery attempt. @default 10000 */
  timeoutMs?: number;
  /** Deliveries in flight at once. @default 8 */
  concurrency?: number;
  /** Deliveries waiting beyond this are dropped (and logged) so a dead receiver cannot exhaust memory. @default 10000 */
  maxQueued?: number;
}

/** Default delays between webhook delivery attempts. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30000];

interface Delivery {
  hook: HookRecord;
  body: string;
  entryId: string;
  attempt: number;
}

export class HookDispatcher {
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly queue: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly removed = new Set<string>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly hooks: HookRepository,
    private readonly log: FastifyBaseLogger,
    options: HookDispatcherOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 8;
    this.maxQueued = options.maxQueued ?? 10_000;
  }

  /**
   * Queues the delivery of freshly stored entries of one application to its matching subscriptions. Resolves once
   * they are queued (not delivered), so a caller that awaits it before answering leaves {@link idle} accurate.
   */
  async dispatch(applicationId: string, entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0 || this.abort.signal.aborted) return;
    const hooks = await this.hooks.listForApplication(applicationId);
    if (hooks.length === 0) return;
    for (const entry of entries) {
      let body: string | undefined;
      for (const hook of hooks) {
        if (!hookMatches(hook, entry)) continue;
        body ??= JSON.stringify(entry);
        this.enqueue({ hook, body, entryId: entry.id, attempt: 0 });
      }
    }
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (for tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops delivering: cancels retries and aborts requests in flight. */
  close(): void {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.abort.signal.aborted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private enqueue(delivery: Delivery): void {
    if (this.queue.length >= this.maxQueued) {
      this.log.warn({ hookId: delivery.hook.id, entryId: delivery.entryId }, 'webhook queue full, delivery dropped');
      return;
    }
    this.queue.push(delivery);
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && !this.abort.signal.aborted) {
      const delivery = this.queue.shift();
      if (!delivery) break;
      if (this.removed.has(delivery.hook.id)) continue;
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.notifyIdle();
      });
    }
    this.notifyIdle();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const { hook } = delivery;
    let outcome: string;
    try {
      const status = await postJson(new URL(hook.targetUrl), delivery.body, { 'audit-trail-hook-id': hook.id }, this.timeoutMs, this.abort.signal);
      if (status >= 200 && status < 300) return;
      if (status === 410) {
        this.removed.add(hook.id);
        await this.hooks.delete(hook.applicationId, hook.id);
        this.log.info({ hookId: hook.id }, 'webhook target answered 410 Gone, subscription removed');
        return;
      }
      outcome = `HTTP ${status}`;
    } catch (error) {
      if (this.abort.signal.aborted) return;
      outcome = (error as Error).message;
    }
    const delay = this.retryDelaysMs[delivery.attempt];
    if (delay === undefined) {
      this.log.warn({ hookId: hook.id, entryId: delivery.entryId, outcome }, 'webhook delivery failed, giving up');
      return;
    }
    this.log.debug({ hookId: hook.id, entryId: delivery.entryId, outcome, delay }, 'webhook delivery failed, will retry');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue({ ...delivery, attempt: delivery.attempt + 1 });
      this.pump();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
