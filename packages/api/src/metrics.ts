/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and
 * histograms with labels. Per server instance, so two instances in one process
 * (tests) keep separate figures.
 */
type Labels = Record<string, string>;

/** Runs several times per request: label names are ASCII, and most values need no escape. */
function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  if (entries.length > 1) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function escapeLabelValue(value: string): string {
  if (!/[\\\n"]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function withLabel(key: string, extra: string): string {
  return key === '' ? `{${extra}}` : `${key.slice(0, -1)},${extra}}`;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}
export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
}
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

interface Metric {
  render(): string[];
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    const values = new Map<string, number>();
    this.metrics.push({
      render: () => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...[...values].map(([key, value]) => `${name}${key} ${value}`)],
    });
    return {
      inc(labels, by = 1) {
        const key = labelKey(labels);
        values.set(key, (values.get(key) ?? 0) + by);
      },
    };
  }

  gauge(name: string, help: string, collect?: () => number): Gauge {
    const values = new Map<string, number>();
    this.metrics.push({
      render: () => {
        if (collect) values.set('', collect());
        return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...[...values].map(([key, value]) => `${name}${key} ${value}`)];
      },
    });
    const add = (labels: Labels | undefined, by: number) => {
      const key = labelKey(labels);
      values.set(key, (values.get(key) ?? 0) + by);
    };
    return {
      set: (value, labels) => void values.set(labelKey(labels), value),
      inc: (labels, by = 1) => add(labels, by),
      dec: (labels, by = 1) => add(labels, -by),
    };
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const series = new Map<string, { counts: number[]; sum: number; count: number }>();
    this.metrics.push({
      render: () => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
        for (const [key, data] of series) {
          buckets.forEach((bound, i) => lines.push(`${name}_bucket${withLabel(key, `le="${bound}"`)} ${data.counts[i] ?? 0}`));
          lines.push(`${name}_bucket${withLabel(key, 'le="+Inf"')} ${data.count}`);
          lines.push(`${name}_sum${key} ${data.sum}`);
          lines.push(`${name}_count${key} ${data.count}`);
        }
        return lines;
      },
    });
    return {
      observe(value, labels) {
        const key = labelKey(labels);
        let data = series.get(key);
        if (!data) {
          data = { counts: buckets.map(() => 0), sum: 0, count: 0 };
          series.set(key, data);
        }
        // Cumulative buckets, as the format requires.
        buckets.forEach((bound, i) => {
          if (value <= bound && data) data.counts[i] = (data.counts[i] ?? 0) + 1;
        });
        data.sum += value;
        data.count += 1;
      },
    };
  }

  render(): string {
    return `${this.metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** The figures the server keeps; names are part of what dashboards rely on. */
export function createServerMetrics(startedAt = Date.now()) {
  const registry = new MetricsRegistry();
  return {
    registry,
    httpRequests: registry.counter('clapper_http_requests_total', 'HTTP requests answered, by route and status.'),
    httpInFlight: registry.gauge('clapper_http_requests_in_flight', 'HTTP requests received and not yet answered.'),
    httpDuration: registry.histogram('clapper_http_request_duration_seconds', 'HTTP request duration by route.', durationBuckets),
    pulls: registry.counter('clapper_sync_pulls_total', 'sync.pull calls, by outcome.'),
    pushes: registry.counter('clapper_sync_pushes_total', 'sync.push calls, by outcome.'),
    pushRecords: registry.counter('clapper_sync_push_records_total', 'Records (created + updated + deleted) in accepted pushes.'),
    pushDuration: registry.histogram('clapper_sync_push_duration_seconds', 'Time to apply a push.', durationBuckets),
    nudgesSent: registry.counter('clapper_nudges_sent_total', '"changed" messages sent on /sync sockets.'),
    wsConnections: registry.gauge('clapper_ws_connections', 'Open WebSocket connections, by path.'),
    wsConnectionsTotal: registry.counter('clapper_ws_connections_total', 'WebSocket connections accepted, by path.'),
    uptime: registry.gauge('process_uptime_seconds', 'Seconds since the server started.', () => (Date.now() - startedAt) / 1000),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
