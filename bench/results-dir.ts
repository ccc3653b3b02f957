// Where a benchmark run writes its JSON: an ignored folder, so `npm run bench` leaves the
// git tree clean. The committed bench/results/*.json are the runs the README quotes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchResultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest');

/** The path for one benchmark's JSON, with its folder made. */
export function benchResultPath(name: string): string {
  mkdirSync(benchResultsDir, { recursive: true });
  return path.join(benchResultsDir, `${name}.json`);
}
