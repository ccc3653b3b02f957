// npm run chaos: the full chaos run; prints its figures and findings, exits 1 on any finding.
import { fullConfig, runChaos } from './chaos.ts';

const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const started = Date.now();
const { figures, findings } = await runChaos({
  ...fullConfig,
  durationMs: Number(process.env.CHAOS_SECONDS ?? fullConfig.durationMs / 1000) * 1000,
  seed,
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`),
});
console.table(figures);
if (findings.length > 0) {
  console.log(`${findings.length} findings:`);
  for (const finding of findings.slice(0, 50)) console.log(`  - ${finding}`);
}
console.log(`chaos: ${findings.length === 0 ? 'passed' : 'FAILED'} (seed ${seed}, ${new Date().toISOString()})`);
process.exit(findings.length === 0 ? 0 : 1);
