import type { CollabMetrics } from '@clapper/collab';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The figures the server keeps, in a prom-client registry of its own (two instances in one
 * process, as in tests, keep separate figures). Names and labels are what dashboards rely
 * on (SPEC E6). The push path touches several per request: label values are a few short
 * strings, and the ones without labels cost a map lookup.
 */
export function createServerMetrics(startedAt = Date.now()) {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'clapper_http_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpInFlight: new Gauge({
      name: 'clapper_http_requests_in_flight',
      help: 'HTTP requests received and not yet answered.',
      registers,
    }),
    httpDuration: new Histogram({
      name: 'clapper_http_request_duration_seconds',
      help: 'HTTP request duration by route.',
      labelNames: ['route'] as const,
      buckets: durationBuckets,
      registers,
    }),
    pulls: new Counter({
      name: 'clapper_sync_pulls_total',
      help: 'sync.pull calls, by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    pushes: new Counter({
      name: 'clapper_sync_pushes_total',
      help: 'sync.push calls, by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    pushRecords: new Counter({
      name: 'clapper_sync_push_records_total',
      help: 'Records (created + updated + deleted) in accepted pushes.',
      registers,
    }),
    pushDuration: new Histogram({
      name: 'clapper_sync_push_duration_seconds',
      help: 'Time to apply a push.',
      buckets: durationBuckets,
      registers,
    }),
    nudgesSent: new Counter({
      name: 'clapper_nudges_sent_total',
      help: '"changed" messages sent on /sync sockets.',
      registers,
    }),
    wsConnections: new Gauge({
      name: 'clapper_ws_connections',
      help: 'Open WebSocket connections, by path.',
      labelNames: ['path'] as const,
      registers,
    }),
    wsConnectionsTotal: new Counter({
      name: 'clapper_ws_connections_total',
      help: 'WebSocket connections accepted, by path.',
      labelNames: ['path'] as const,
      registers,
    }),
    shed: new Counter({
      name: 'clapper_connections_shed_total',
      help: 'Requests (503) and sockets (1013) refused past the connection budget, by path.',
      labelNames: ['path'] as const,
      registers,
    }),
    uptime: new Gauge({
      name: 'process_uptime_seconds',
      help: 'Seconds since the server started.',
      registers,
      collect() {
        this.set((Date.now() - startedAt) / 1000);
      },
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

/**
 * The collab server keeps its own figures (docs, rows and bytes written, compactions, the
 * store-to-relay wait); these read them when /metrics is scraped, so the Yjs path costs
 * nothing more per update.
 */
export function registerCollabMetrics(metrics: ServerMetrics, readNow: () => CollabMetrics): void {
  const registers = [metrics.registry];
  // A scrape collects every metric in one turn of the event loop: read the collab figures
  // once for all of them (it sorts up to 10,000 latency samples), not once per metric.
  let scrape: CollabMetrics | undefined;
  const read = () => {
    if (!scrape) {
      scrape = readNow();
      setImmediate(() => (scrape = undefined));
    }
    return scrape;
  };
  const total = (name: string, help: string, value: (m: CollabMetrics) => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value(read()));
      },
    });
  new Gauge({
    name: 'clapper_yjs_docs_loaded',
    help: 'Yjs docs held in memory.',
    registers,
    collect() {
      this.set(read().docsLoaded);
    },
  });
  new Gauge({
    name: 'clapper_yjs_doc_bytes',
    help: 'Encoded bytes of the Yjs docs held in memory.',
    registers,
    collect() {
      this.set(read().docBytes);
    },
  });
  total('clapper_yjs_rows_written_total', 'Yjs update rows written (one per group commit).', (m) => m.rowsWritten);
  total('clapper_yjs_bytes_written_total', 'Bytes of Yjs updates written.', (m) => m.bytesWritten);
  total('clapper_yjs_compactions_total', 'Snapshot compactions of a doc.', (m) => m.compactions);
  new Gauge({
    name: 'clapper_yjs_store_to_relay_seconds',
    help: 'An update from arrival to relay (queueing + INSERT), over the last 10,000 updates, by quantile.',
    labelNames: ['quantile'] as const,
    registers,
    collect() {
      const { p50, p99 } = read().storeToRelayMs;
      this.set({ quantile: '0.5' }, p50 / 1000);
      this.set({ quantile: '0.99' }, p99 / 1000);
    },
  });
}
