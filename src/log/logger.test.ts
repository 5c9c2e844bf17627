import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

const at = () => new Date('2026-01-02T03:04:05.000Z');

test('text lines carry time, level, event and fields, quoting values with spaces', () => {
  const lines: string[] = [];
  const log = createLogger({ format: 'text', level: 'info', write: (l) => lines.push(l), now: at }).child({ operator: 'webapp' });
  log.log('info', 'operator.woke', { key: 'shop/web', ms: 3.5, note: 'from disk' });
  assert.deepEqual(lines, ['2026-01-02T03:04:05.000Z INFO  operator.woke operator=webapp key=shop/web ms=3.5 note="from disk"\n']);
});

test('json lines are one object each, errors as their message chain', () => {
  const lines: string[] = [];
  const log = createLogger({ format: 'json', level: 'debug', write: (l) => lines.push(l), now: at });
  log.log('error', 'operator.failed', { error: new Error('trap', { cause: new Error('unreachable') }), skipped: undefined });
  assert.deepEqual(JSON.parse(lines[0]!), { time: '2026-01-02T03:04:05.000Z', level: 'error', event: 'operator.failed', error: 'trap: caused by: unreachable' });
});

test('lines below the level are dropped', () => {
  const lines: string[] = [];
  const log = createLogger({ format: 'text', level: 'warn', write: (l) => lines.push(l), now: at });
  log.log('info', 'quiet');
  log.log('warn', 'loud');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /WARN {2}loud/);
});
