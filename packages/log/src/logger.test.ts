import { expect, test } from 'vitest';
import { createRecordingLogger } from './logger.ts';

test('a child logger carries its context on every line, and an Error field keeps its message and stack', () => {
  const { logger, lines } = createRecordingLogger('info');
  const doc = logger.child({ component: 'collab', doc: 'project/p1/script/main' });
  doc.debug('not shown below info');
  doc.info('loaded', { rows: 3 });
  doc.error('update not stored', { error: new Error('connection reset') });
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({
    level: 'info',
    msg: 'loaded',
    component: 'collab',
    doc: 'project/p1/script/main',
    rows: 3,
  });
  expect(lines[1]).toMatchObject({
    level: 'error',
    msg: 'update not stored',
    component: 'collab',
    error: { message: 'connection reset' },
  });
  expect(String((lines[1]?.error as { stack?: unknown }).stack)).toContain('logger.test.ts');
});

test('a string error stays a string, and a message with quotes and newlines stays one line', () => {
  const { logger, lines } = createRecordingLogger();
  logger.warn('redis "publish"\nfailed', { error: 'ECONNREFUSED' });
  expect(lines).toEqual([
    expect.objectContaining({ level: 'warn', msg: 'redis "publish"\nfailed', error: 'ECONNREFUSED' }),
  ]);
});
