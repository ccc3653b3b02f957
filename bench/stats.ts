/** Small statistics helpers shared by the benchmarks. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly pass?: boolean;
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  console.log(`\n${title}`);
  console.log(`${'measure'.padEnd(width)}  ${'value'.padStart(12)}  unit      target`);
  for (const row of rows) {
    const verdict = row.pass === undefined ? '' : row.pass ? '  ok' : '  MISSED';
    console.log(
      `${row.name.padEnd(width)}  ${String(round(row.value, 2)).padStart(12)}  ${row.unit.padEnd(8)}  ${row.target ?? ''}${verdict}`,
    );
  }
}
