/**
 * Warnings that can repeat thousands of times a second (a full queue, a dead receiver) are logged at most once per
 * key and interval, with the number suppressed since: the issue measured 66 MB of "queue full" lines.
 */
import type { FastifyBaseLogger } from 'fastify';

export class ThrottledLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` unless the same `key` was logged less than the interval ago (then counts it). */
  warn(key: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed += 1;
      return;
    }
    // Bounded: forget old keys rather than grow with every hook that ever failed.
    if (this.last.size > 10_000) this.last.clear();
    this.last.set(key, { at: now, suppressed: 0 });
    this.log.warn({ ...fields, suppressedSinceLast: seen?.suppressed ?? 0 }, message);
  }
}
