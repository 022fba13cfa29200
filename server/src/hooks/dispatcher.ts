/**
 * Delivers new entries to webhook subscriptions (REST hooks), off the request path. `queueWithin` writes one row per
 * (hook, entry) to the durable queue (`hook_deliveries`) in the append's own transaction and schedules it after the
 * commit; a row is removed when the target took
 * it (2xx), answered 410 Gone (which also removes the subscription) or the retries ran out, so a restart resumes
 * whatever was pending (at least once: a delivery cut short by the restart is sent again, with the same
 * `Audit-Trail-Delivery-Id` for the receiver to deduplicate).
 *
 * Several processes on one database: a process works on a row only while it holds the row's lease
 * (`lease_owner`, `lease_expires_at`). Rows it queues are leased to it from the start; before every attempt it
 * renews the lease, which fails when another process has taken the row (then it lets the row go); every
 * `pollIntervalMs` it claims due rows that nobody holds or whose lease expired (a process that died), with
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL. A lease outlives an attempt (`leaseMs` is at least twice `deadlineMs`),
 * so two live processes never deliver one row at the same time; a stop releases the leases it held.
 *
 * Isolation: every organization has its own queue and at most `perTenantConcurrency` deliveries in flight, and
 * the organizations with work take turns for the `concurrency` global slots, so one tenant's slow or dead target
 * delays only that tenant. Each attempt has an idle timeout and a total deadline, and its target is checked again
 * (target-policy.ts) and the checked address pinned for the connection.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { StoredEntry } from '@audit-trail/sdk/contract';
import type { HookDeliveryRecord, HookRecord, Repositories, Store } from '../store/repositories.js';
import { hookMatches } from './match.js';
import { postJson } from './post-json.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { checkTarget, pinnedLookup, type Resolver, type TargetPolicyOptions } from './target-policy.js';
import { ThrottledLog } from './throttled-log.js';

/** Options of {@link HookDispatcher} (and of the subscription route: the cap, the target policy). */
export interface HookDispatcherOptions {
  /** Delay before each retry; its length is the number of retries. @default [1000, 5000, 30000] */
  retryDelaysMs?: readonly number[];
  /** An attempt fails when the target sends nothing for this long. @default 10000 */
  timeoutMs?: number;
  /** An attempt fails when it lasts this long in total, however busy the socket. @default 15000 */
  deadlineMs?: number;
  /** Deliveries in flight at once, all tenants together. @default 16 */
  concurrency?: number;
  /** Deliveries in flight at once for one organization. @default 2 */
  perTenantConcurrency?: number;
  /** Pending deliveries one organization may have; beyond it new ones are dropped (logged, throttled). @default 10000 */
  maxPendingPerTenant?: number;
  /** Subscriptions one application may have (`POST /api/hooks` answers 409 `hook_limit_reached`). @default 20 */
  maxHooksPerApplication?: number;
  /** Allow loopback targets and plain http to them: local development and tests only. @default false */
  allowLoopback?: boolean;
  /** Hostname resolution (tests inject one; never a network lookup in tests). @default the system resolver */
  resolver?: Resolver;
  /**
   * How long a process holds a delivery it works on before another process may take it over (a process that died
   * loses its rows after this long). At least twice `deadlineMs`. @default 60000
   */
  leaseMs?: number;
  /** How often a process looks for due deliveries nobody holds (other processes' expired leases). @default 5000 */
  pollIntervalMs?: number;
  /** The clock (epoch ms) of leases and retry times; tests inject one. @default Date.now */
  now?: () => number;
}

/** Default delays between webhook delivery attempts. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30000];

/** Default cap on subscriptions per application. */
export const DEFAULT_MAX_HOOKS_PER_APPLICATION = 20;

/** The application whose entries are dispatched. */
export interface DispatchSource {
  id: string;
  organizationId: string;
}

interface Delivery {
  record: HookDeliveryRecord;
  hook: HookRecord;
}

/** One organization's queue. */
interface Lane {
  queue: Delivery[];
  inFlight: number;
  /** Queued, in flight or waiting for a retry. */
  pending: number;
}

// Rows claimed per poll (the next poll takes more).
const CLAIM_BATCH = 500;

export class HookDispatcher {
  readonly policy: TargetPolicyOptions;
  readonly maxHooksPerApplication: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly concurrency: number;
  private readonly perTenantConcurrency: number;
  private readonly maxPendingPerTenant: number;
  private readonly lanes = new Map<string, Lane>();
  /** Organizations in the order they get the next free slot. */
  private turn: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly removed = new Set<string>();
  private readonly throttled: ThrottledLog;
  private inFlight = 0;
  private working = 0;
  private idleWaiters: (() => void)[] = [];
  /** This process's name on the leases it holds. */
  readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  /** Rows this process holds in memory (queued, in flight, waiting for a retry): a poll does not take them twice. */
  private readonly held = new Set<string>();
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    options: HookDispatcherOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 15_000;
    this.concurrency = options.concurrency ?? 16;
    this.perTenantConcurrency = options.perTenantConcurrency ?? 2;
    this.maxPendingPerTenant = options.maxPendingPerTenant ?? 10_000;
    this.maxHooksPerApplication = options.maxHooksPerApplication ?? DEFAULT_MAX_HOOKS_PER_APPLICATION;
    this.policy = { allowLoopback: options.allowLoopback ?? false, ...(options.resolver ? { resolver: options.resolver } : {}) };
    this.throttled = new ThrottledLog(log);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.now = options.now ?? Date.now;
    if (this.leaseMs < 2 * this.deadlineMs) {
      throw new TypeError(`webhooks.leaseMs (${this.leaseMs}) must be at least twice webhooks.deadlineMs (${this.deadlineMs}): a lease must outlive an attempt`);
    }
  }

  /**
   * Takes over the due deliveries nobody holds (left by a stopped process, or by one that died once its lease
   * expired) and polls for more every `pollIntervalMs`; call once before listening. Resolves with how many it took.
   */
  async recover(): Promise<number> {
    const taken = await this.poll();
    this.schedulePoll();
    return taken;
  }

  /** Claims due rows nobody holds and schedules them; one poll at a time. Resolves with how many it claimed. */
  poll(): Promise<number> {
    this.polling ??= this.claim().finally(() => {
      this.polling = undefined;
      this.notifyIdle();
    });
    return this.polling;
  }

  private async claim(): Promise<number> {
    if (this.abort.signal.aborted) return 0;
    const now = this.now();
    const records = await this.store.hooks.claimDeliveries(this.owner, now, now + this.leaseMs, CLAIM_BATCH);
    const hooks = new Map<string, HookRecord | undefined>();
    let taken = 0;
    for (const record of records) {
      if (this.held.has(record.id)) continue;
      if (!hooks.has(record.hookId)) hooks.set(record.hookId, await this.store.hooks.findById(record.hookId));
      const hook = hooks.get(record.hookId);
      if (!hook) {
        await this.store.hooks.completeDelivery(record.id);
        continue;
      }
      if (this.abort.signal.aborted) break;
      taken += 1;
      this.held.add(record.id);
      this.lane(record.organizationId).pending += 1;
      this.schedule({ record, hook }, record.nextAttemptAt - this.now());
    }
    this.pump();
    return taken;
  }

  private schedulePoll(): void {
    if (this.abort.signal.aborted) return;
    this.pollTimer = setTimeout(() => {
      this.poll()
        .catch((error: unknown) => {
          if (!this.abort.signal.aborted) this.log.error({ err: error }, 'webhook queue poll failed');
        })
        .finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    this.pollTimer.unref();
  }

  /**
   * Queues the delivery of freshly stored entries of one application to its matching subscriptions, INSIDE the
   * append's transaction `tx` (GroupCommit's listener): the rows commit with the entries or not at all, so an
   * acknowledged entry always has its deliveries queued, even if the process dies right after the commit. The
   * returned callback schedules them once the transaction committed (or releases their place in the tenant's bound
   * when it did not).
   */
  readonly queueWithin = async (
    tx: Repositories,
    application: DispatchSource,
    entries: readonly StoredEntry[],
  ): Promise<((committed: boolean) => void) | undefined> => {
    if (entries.length === 0 || this.abort.signal.aborted) return undefined;
    const hooks = await tx.hooks.listForApplication(application.id);
    if (hooks.length === 0) return undefined;
    const lane = this.lane(application.organizationId);
    const now = this.now();
    const deliveries: Delivery[] = [];
    let dropped = 0;
    for (const entry of entries) {
      let body: string | undefined;
      for (const hook of hooks) {
        if (!hookMatches(hook, entry)) continue;
        if (lane.pending + deliveries.length >= this.maxPendingPerTenant) {
          dropped += 1;
          continue;
        }
        body ??= JSON.stringify(entry);
        deliveries.push({
          hook,
          record: { id: randomUUID(), hookId: hook.id, applicationId: application.id, organizationId: application.organizationId, entryId: entry.id, body, attempt: 0, nextAttemptAt: now },
        });
      }
    }
    if (dropped > 0) {
      this.throttled.warn(
        `full:${application.organizationId}`,
        { organizationId: application.organizationId, dropped, limit: this.maxPendingPerTenant },
        'webhook queue of this organization is full, deliveries dropped',
      );
    }
    if (deliveries.length === 0) return undefined;
    // Leased to this process from the start: it delivers them without claiming them again.
    await tx.hooks.enqueueDeliveries(
      deliveries.map((delivery) => delivery.record),
      { owner: this.owner, expiresAt: now + this.leaseMs },
    );
    // Their place in the tenant's bound is taken now, so concurrent appends of one tenant cannot overshoot it.
    lane.pending += deliveries.length;
    this.working += 1;
    return (committed) => {
      this.working -= 1;
      if (committed && !this.abort.signal.aborted) {
        for (const delivery of deliveries) this.held.add(delivery.record.id);
        lane.queue.push(...deliveries);
        this.pump();
      } else {
        lane.pending -= deliveries.length;
      }
      this.notifyIdle();
    };
  };

  /** Forgets a subscription's queued deliveries after it was deleted (its rows went with it). */
  forget(hookId: string): void {
    this.removed.add(hookId);
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (for tests and graceful shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops delivering: cancels retries and aborts requests in flight, then releases the leases this process holds,
   * so that another process (or the next start) takes the pending rows over at once instead of after the lease.
   */
  async close(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.pollTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.lanes.clear();
    this.turn = [];
    this.held.clear();
    this.notifyIdle();
    await this.polling?.catch(() => undefined);
    await this.store.hooks.releaseLeases(this.owner);
  }

  private lane(organizationId: string): Lane {
    let lane = this.lanes.get(organizationId);
    if (!lane) {
      lane = { queue: [], inFlight: 0, pending: 0 };
      this.lanes.set(organizationId, lane);
      this.turn.push(organizationId);
    }
    return lane;
  }

  private isIdle(): boolean {
    if (this.polling !== undefined) return false;
    if (this.inFlight > 0 || this.timers.size > 0 || this.working > 0) return false;
    for (const lane of this.lanes.values()) if (lane.queue.length > 0) return false;
    return true;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.abort.signal.aborted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Fills free slots, taking organizations in turn (round robin) so none can take every slot. */
  private pump(): void {
    let skipped = 0;
    while (this.inFlight < this.concurrency && !this.abort.signal.aborted && skipped < this.turn.length) {
      const organizationId = this.turn.shift() as string;
      this.turn.push(organizationId);
      const lane = this.lanes.get(organizationId);
      if (!lane || lane.queue.length === 0 || lane.inFlight >= this.perTenantConcurrency) {
        skipped += 1;
        continue;
      }
      skipped = 0;
      const delivery = lane.queue.shift() as Delivery;
      if (this.removed.has(delivery.hook.id)) {
        lane.pending -= 1;
        this.held.delete(delivery.record.id);
        continue;
      }
      lane.inFlight += 1;
      this.inFlight += 1;
      void this.attempt(delivery)
        .catch((error: unknown) => {
          // A store write failed (e.g. closed during shutdown): the row stays queued for the next start.
          if (!this.abort.signal.aborted) this.log.error({ err: error, hookId: delivery.hook.id }, 'webhook queue bookkeeping failed');
        })
        .finally(() => {
          lane.inFlight -= 1;
          this.inFlight -= 1;
          this.pump();
          this.notifyIdle();
        });
    }
    // Organizations with nothing left leave the rotation (and the map) so it does not grow with every tenant.
    for (const [organizationId, lane] of this.lanes) {
      if (lane.pending === 0 && lane.inFlight === 0 && lane.queue.length === 0) {
        this.lanes.delete(organizationId);
        this.turn = this.turn.filter((id) => id !== organizationId);
      }
    }
    this.notifyIdle();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (delayMs <= 0) {
      this.lane(delivery.record.organizationId).queue.push(delivery);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.lane(delivery.record.organizationId).queue.push(delivery);
      this.pump();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** The row leaves this process's hands (done, given up, removed, or taken by another process). */
  private letGo(delivery: Delivery): void {
    const lane = this.lanes.get(delivery.record.organizationId);
    if (lane) lane.pending -= 1;
    this.held.delete(delivery.record.id);
  }

  private async settle(delivery: Delivery): Promise<void> {
    this.letGo(delivery);
    await this.store.hooks.completeDelivery(delivery.record.id);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const { hook, record } = delivery;
    // Renewed for this attempt; refused when another process took the row over (this one was too slow to reach
    // it, or its lease expired): then that process delivers it, and this one lets it go.
    const now = this.now();
    if (!(await this.store.hooks.renewLease(record.id, this.owner, now, now + this.leaseMs))) {
      this.letGo(delivery);
      return;
    }
    let outcome: string;
    try {
      // Checked again now: the name may resolve elsewhere than at subscription. The connection uses exactly the
      // address checked here.
      const target = await checkTarget(hook.targetUrl, this.policy);
      const status = await postJson(target.url, record.body, {
        headers: {
          'user-agent': 'audit-trail-webhooks/1',
          'audit-trail-hook-id': hook.id,
          'audit-trail-delivery-id': record.id,
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(hook.secret, record.body, Math.floor(Date.now() / 1000)),
        },
        idleTimeoutMs: this.timeoutMs,
        deadlineMs: this.deadlineMs,
        signal: this.abort.signal,
        lookup: pinnedLookup(target),
      });
      if (status >= 200 && status < 300) return await this.settle(delivery);
      if (status === 410) {
        this.removed.add(hook.id);
        this.letGo(delivery);
        await this.store.hooks.delete(hook.applicationId, hook.id);
        this.log.info({ hookId: hook.id }, 'webhook target answered 410 Gone, subscription removed');
        return;
      }
      outcome = `HTTP ${status}`;
    } catch (error) {
      // Shutting down: the row stays queued and the next start sends it again.
      if (this.abort.signal.aborted) return;
      outcome = (error as Error).message;
    }
    const delay = this.retryDelaysMs[record.attempt];
    if (delay === undefined) {
      this.throttled.warn(`gave-up:${hook.id}`, { hookId: hook.id, entryId: record.entryId, outcome }, 'webhook delivery failed, giving up');
      await this.settle(delivery);
      return;
    }
    this.log.debug({ hookId: hook.id, entryId: record.entryId, outcome, delay }, 'webhook delivery failed, will retry');
    const next = { ...record, attempt: record.attempt + 1, nextAttemptAt: this.now() + delay };
    // Still held by this process until the retry, and for a lease after it.
    await this.store.hooks.rescheduleDelivery(record.id, next.attempt, next.nextAttemptAt, this.owner, next.nextAttemptAt + this.leaseMs);
    this.schedule({ hook, record: next }, delay);
  }
}
