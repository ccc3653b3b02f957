import type { CollabMetrics } from '@clapper/collab';
import { describe, expect, it } from 'vitest';
import { createServerMetrics, registerCollabMetrics } from './metrics.ts';

describe('collab figures on /metrics', () => {
  it('reads the collab server once per scrape and shows what it read', async () => {
    const metrics = createServerMetrics();
    let reads = 0;
    registerCollabMetrics(metrics, (): CollabMetrics => {
      reads += 1;
      return {
        docsLoaded: reads,
        docBytes: 2048 * reads,
        connections: 0,
        rowsWritten: 10 * reads,
        bytesWritten: 0,
        compactions: 0,
        awarenessEntries: 0,
        merger: { running: false, workerStarts: 0, merges: 0 },
        storeToRelayMs: { p50: 4, p99: 13, samples: 2 },
      };
    });

    const first = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(first).toContain('clapper_yjs_docs_loaded 1');
    expect(first).toContain('clapper_yjs_doc_bytes 2048');
    expect(first).toContain('clapper_yjs_rows_written_total 10');
    expect(first).toContain('clapper_yjs_store_to_relay_seconds{quantile="0.99"} 0.013');

    // The next scrape reads afresh.
    await new Promise((resolve) => setImmediate(resolve));
    const second = await metrics.registry.metrics();
    expect(reads).toBe(2);
    expect(second).toContain('clapper_yjs_docs_loaded 2');
    expect(second).toContain('clapper_yjs_rows_written_total 20');
  });
});
