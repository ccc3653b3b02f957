import { expect, test } from 'vitest';
import { MetricsRegistry } from './metrics.ts';

test('[E6] label sets are one series whatever their order, and values are escaped for the text format', () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter('clapper_test_total', 'test counter');
  requests.inc({ route: '/trpc', method: 'POST' });
  requests.inc({ method: 'POST', route: '/trpc' }, 2);
  requests.inc({ route: 'a "quoted"\\path\nnext' });
  const text = registry.render();
  expect(text).toContain('clapper_test_total{method="POST",route="/trpc"} 3\n');
  expect(text).toContain('clapper_test_total{route="a \\"quoted\\"\\\\path\\nnext"} 1\n');
});
