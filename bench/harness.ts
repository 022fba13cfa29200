/**
 * The bench's measuring rules, in one place. This machine is noisy (2 shared cores), so a figure is only worth
 * printing as the median of repeated runs with its range, and a comparison only when both sides ran interleaved
 * (A B A B …) in the same run, the ratio taken pair by pair.
 */

/** Median and range of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** How many times each side of a comparison runs, at least. */
export const REPETITIONS = Math.max(3, Number(process.env['BENCH_REPETITIONS'] ?? 3));

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, min: sorted[0]!, max: sorted[sorted.length - 1]!, values: [...values] };
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `median [min–max] unit`, the only way a figure is printed. */
export const show = (s: Spread, unit = '', digits = 0): string =>
  `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]${unit ? ` ${unit}` : ''}`;

/**
 * Runs every measurement once per round, in turn, for {@link REPETITIONS} rounds (A B C A B C …), so that drift
 * of the machine's speed hits all of them alike. Returns each side's values in round order. With `warmUp`, one
 * more round runs first and is discarded, for every side alike: for paths whose first run in the process is
 * dominated by compiling their code rather than running it.
 */
export async function interleaved<K extends string>(
  sides: Record<K, () => Promise<number>>,
  rounds = REPETITIONS,
  { warmUp = false }: { warmUp?: boolean } = {},
): Promise<Record<K, number[]>> {
  const keys = Object.keys(sides) as K[];
  const values = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  if (warmUp) for (const key of keys) await sides[key]();
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) values[key].push(await sides[key]());
  }
  return values;
}

/** Ratios a[i] / b[i], pair by pair (both from the same round). */
export const ratios = (a: readonly number[], b: readonly number[]): Spread => spread(a.map((value, i) => value / (b[i] ?? Number.NaN)));

/** One printed row: which suite, what was measured, the figure, and the limit or peer it is held against. */
export interface Row {
  suite: string;
  measure: string;
  result: string;
  target: string;
}

/** Collects the rows of a run and prints them as one Markdown table. */
export class Report {
  readonly rows: Row[] = [];
  constructor(private readonly suite: string) {}

  /** A report for another suite, sharing the rows. */
  forSuite(suite: string): Report {
    const report = new Report(suite);
    (report as { rows: Row[] }).rows = this.rows;
    return report;
  }

  row(measure: string, result: string, target = ''): void {
    this.rows.push({ suite: this.suite, measure, result, target });
    process.stderr.write(`  [${this.suite}] ${measure}: ${result}${target ? ` (target ${target})` : ''}\n`);
  }

  table(): string {
    const header = ['suite', 'measure', 'median [min–max]', 'limit or peer (same run)'];
    const cells = this.rows.map((r) => [r.suite, r.measure, r.result, r.target]);
    const widths = header.map((_, c) => Math.max(...[header, ...cells].map((r) => (r[c] ?? '').length)));
    const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
    return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
  }
}

/** A group of measurements that `npm run bench -- <name>` can run alone. */
export interface Suite {
  name: string;
  /** One line: what it measures. */
  description: string;
  run(report: Report): Promise<void>;
}
