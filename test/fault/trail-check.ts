/**
 * What every fault scenario must end with: each entry stored exactly once and a valid chain. Reads the trail back
 * directly from the server (not through the proxy).
 */
import { AuditTrailClient } from '../../sdk/src/client.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';

/** One line of the printed table. */
export interface TrailRow {
  scenario: string;
  sent: number;
  stored: number;
  uniqueKeys: number;
  missing: number;
  duplicated: number;
  chainValid: boolean;
  retries: number;
  duplicatesSeen: number;
}

/** Reads the application's whole trail; `details.i` numbers the entries 0..expected-1. */
export async function checkTrail(
  baseUrl: string,
  credentials: Credentials,
  scenario: string,
  expected: number,
  stats: { retries: number; duplicates: number },
): Promise<TrailRow> {
  const reader = new AuditTrailClient({ baseUrl, ...credentials });
  try {
    const seen = new Map<number, number>();
    const keys = new Set<string>();
    let stored = 0;
    for await (const entry of reader.iterateEntries({ order: 'asc', limit: 1000 })) {
      stored += 1;
      if (entry.idempotencyKey) keys.add(entry.idempotencyKey);
      const i = (entry.details as { i: number }).i;
      seen.set(i, (seen.get(i) ?? 0) + 1);
    }
    let missing = 0;
    let duplicated = 0;
    for (let i = 0; i < expected; i++) {
      const times = seen.get(i) ?? 0;
      if (times === 0) missing += 1;
      if (times > 1) duplicated += times - 1;
    }
    const verification = await reader.verify();
    return {
      scenario,
      sent: expected,
      stored,
      uniqueKeys: keys.size,
      missing,
      duplicated,
      chainValid: verification.valid && verification.checked === stored,
      retries: stats.retries,
      duplicatesSeen: stats.duplicates,
    };
  } finally {
    await reader.close();
  }
}

/** The rows as a fixed-width table. */
export function formatTable(rows: readonly TrailRow[]): string {
  const header = ['scenario', 'sent', 'stored', 'unique keys', 'missing', 'duplicated', 'chain valid', 'retries', 'dup. receipts'];
  const lines = rows.map((r) => [
    r.scenario, r.sent, r.stored, r.uniqueKeys, r.missing, r.duplicated, r.chainValid ? 'yes' : 'NO', r.retries, r.duplicatesSeen,
  ].map(String));
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  const row = (cells: string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}
