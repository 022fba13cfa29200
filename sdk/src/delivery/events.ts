/**
 * What the delivery pipeline tells its callers: a typed event map, counters, and a tiny emitter that lets the
 * pipeline skip building a payload nobody listens to.
 */
import type { Entry, Receipt } from '../contract/schemas.js';

/** An entry the service confirmed. */
export interface DeliveredEntry {
  /** The entry's idempotency key. */
  idempotencyKey: string;
  /** The service's receipt (for a duplicate: the receipt of the original). */
  receipt: Receipt;
  /** `true` when the service had already stored this key (a retry of a delivered entry). */
  duplicate: boolean;
}

/** An entry that was accepted but not (or not yet) confirmed by the service. */
export interface UndeliveredEntry {
  /** The entry's idempotency key. */
  idempotencyKey: string;
  /** The entry as it was (or would have been) sent, key included. */
  entry: Entry;
}

/**
 * Why an entry will not be delivered:
 * - `rejected`: the batch endpoint rejected this entry (see `code`);
 * - `client_error`: the whole batch got a 4xx that retrying cannot fix (e.g. 401, 403);
 * - `too_large`: a single entry got 413;
 * - `budget_exhausted`: retries ran past `entryBudgetMs`.
 */
export type FailureReason = 'rejected' | 'client_error' | 'too_large' | 'budget_exhausted';

/** An entry given up on, with the service's code when there is one. */
export interface FailedEntry extends UndeliveredEntry {
  /** Why. */
  reason: FailureReason;
  /** The service's error code (e.g. `invalid_field`, `unauthorized`), or a network code for `budget_exhausted`. */
  code?: string;
  /** HTTP status of the reply, when there was one. */
  status?: number;
  /** A sentence for a person (never a credential). */
  message: string;
}

/** Counters, readable at any time through `stats`. */
export interface DeliveryStats {
  /** Entries accepted by `enqueue` (restored ones not included). */
  enqueued: number;
  /** Entries restored from the spool on start. */
  restored: number;
  /** Entries confirmed by the service (duplicates included). */
  delivered: number;
  /** Of `delivered`, those the service already had (a retry after a lost reply or a restart). */
  duplicates: number;
  /** Entries given up on (`failed` events). */
  failed: number;
  /** Entries refused because the queue was full (`dropped` events). */
  dropped: number;
  /** Batch retries scheduled. */
  retries: number;
  /** Batch requests sent (retries included). */
  requests: number;
  /** Entries written to the spool. */
  spooled: number;
  /** Entries held now (waiting, in flight or waiting to be retried). */
  pending: number;
  /** Bytes held now. */
  pendingBytes: number;
  /** `enqueue` calls waiting for room now (`whenFull: 'block'`). */
  blocked: number;
}

/** All counters at zero. */
export const EMPTY_STATS: Readonly<DeliveryStats> = Object.freeze({
  enqueued: 0, restored: 0, delivered: 0, duplicates: 0, failed: 0, dropped: 0,
  retries: 0, requests: 0, spooled: 0, pending: 0, pendingBytes: 0, blocked: 0,
});

/** The events of the delivery pipeline and their payloads. */
export interface DeliveryEvents {
  /** A batch was answered: these entries are stored (or were already). */
  delivered: { entries: DeliveredEntry[] };
  /** A batch will be sent again after `delayMs`. */
  retrying: { attempt: number; delayMs: number; entries: number; status?: number; code?: string; message: string };
  /** Entries were written to the spool (`restored`: found there on start). */
  spooled: { count: number; restored: boolean };
  /** An entry was refused because the queue was full (`whenFull: 'drop'`). */
  dropped: { idempotencyKey: string; entry: Entry; reason: 'queue_full' };
  /** Entries given up on. */
  failed: { entries: FailedEntry[] };
  /** Nothing is pending any more. */
  drained: { stats: DeliveryStats };
}

/** Name of a {@link DeliveryEvents} event. */
export type DeliveryEventName = keyof DeliveryEvents;

/** A listener of event `K`. */
export type DeliveryListener<K extends DeliveryEventName> = (payload: DeliveryEvents[K]) => void;

type ListenerSets = { [K in DeliveryEventName]?: Set<DeliveryListener<K>> };

/** A typed emitter whose `emit` takes a payload builder, called only when there is a listener. */
export class DeliveryEmitter {
  readonly #listeners: ListenerSets = {};

  /** Adds a listener. */
  on<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): void {
    const sets = this.#listeners as Record<K, Set<DeliveryListener<K>> | undefined>;
    (sets[name] ??= new Set()).add(listener);
  }

  /** Removes a listener. */
  off<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): void {
    (this.#listeners as Record<K, Set<DeliveryListener<K>> | undefined>)[name]?.delete(listener);
  }

  /** Whether anyone listens to `name`. */
  has(name: DeliveryEventName): boolean {
    return (this.#listeners[name]?.size ?? 0) > 0;
  }

  /** Calls the listeners with the payload `build()` makes; does nothing (not even build) without listeners. */
  emit<K extends DeliveryEventName>(name: K, build: () => DeliveryEvents[K]): void {
    const listeners = (this.#listeners as Record<K, Set<DeliveryListener<K>> | undefined>)[name];
    if (!listeners || listeners.size === 0) return;
    const payload = build();
    for (const listener of [...listeners]) {
      try {
        listener(payload);
      } catch (error) {
        // A listener's bug must not stall delivery; surface it without throwing into the pipeline.
        process.emitWarning(`audit-trail "${name}" listener threw: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }
}

/** Parses an entry back from its JSON, for payloads and reports (only built when needed). */
export function entryOf(json: string): Entry {
  return JSON.parse(json) as Entry;
}
